import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'

/** What every validating bench server checks, read once from the environment the runner sets. */
export interface PeerSettings {
  /** The v2 issuer of the accepted tenant. */
  readonly issuer: string
  /** The resource app's client ID: the `aud` of v2 tokens. */
  readonly audience: string
  readonly jwksUrl: string
  readonly metadataUrl: string
}

export const REQUIRED_ROLE = 'Forecast.Read'
export const FORECAST_PATH = '/api/forecast'

export function peerSettings (env: NodeJS.ProcessEnv = process.env): PeerSettings {
  const read = (name: string): string => {
    const value = env[name]
    if (!value) throw new Error(`${name} is required`)
    return value
  }
  return Object.freeze({
    issuer: read('BENCH_ISSUER'),
    audience: read('BENCH_AUDIENCE'),
    jwksUrl: read('BENCH_JWKS_URL'),
    metadataUrl: read('BENCH_METADATA_URL')
  })
}

export function hasRole (claims: object, role: string = REQUIRED_ROLE): boolean {
  const roles = (claims as { roles?: unknown }).roles
  return Array.isArray(roles) && roles.includes(role)
}

export function bearerToken (authorization: string | undefined): string | undefined {
  if (!authorization?.startsWith('Bearer ')) return undefined
  return authorization.slice(7) || undefined
}

/** Tells the runner (over IPC) where this server listens. */
export function announce (server: Server): void {
  const { port } = server.address() as AddressInfo
  process.send?.({ url: `http://127.0.0.1:${port}` })
}

// Exit normally (not by the signal) so that `--cpu-prof` gets to write its profile.
process.on('disconnect', () => process.exit(0))
process.on('SIGTERM', () => process.exit(0))
