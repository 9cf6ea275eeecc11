// passport-azure-ad ships no types: only what the bench uses.
declare module 'passport-azure-ad' {
  import type { Strategy } from 'passport'

  export interface BearerStrategyOptions {
    identityMetadata: string
    clientID: string
    audience?: string | string[]
    validateIssuer?: boolean
    issuer?: string | string[]
    loggingLevel?: 'info' | 'warn' | 'error'
    loggingNoPII?: boolean
  }

  export type VerifyDone = (err: Error | null, user?: unknown, info?: unknown) => void

  export class BearerStrategy extends Strategy {
    constructor (options: BearerStrategyOptions, verify: (claims: Record<string, unknown>, done: VerifyDone) => void)
  }
}
