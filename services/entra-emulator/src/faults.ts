import { setTimeout as sleep } from 'node:timers/promises'
import { aadsts, type AadstsError } from './aadsts-error.js'

export type FaultTarget = 'token' | 'jwks'

/** One endpoint's fault: answer `status` and/or stall `delayMs`, for `remaining` requests or until cleared. */
export interface FaultSpec {
  readonly status?: number
  readonly delayMs?: number
  readonly remaining?: number
  /** Sent as `Retry-After` on 429/5xx; MSAL throttles itself for 60 s without one. */
  readonly retryAfterS?: number
}

export type FaultSettings = Partial<Record<FaultTarget, FaultSpec>>

/** The faults the admin API sets and the token and JWKS routes apply. */
export interface Faults {
  /** Replaces every fault with `settings`. */
  set: (settings: FaultSettings) => void
  clear: () => void
  current: () => FaultSettings
  /**
   * Applies the target's fault to one request: waits its delay (without blocking the event loop), then returns
   * the refusal to send, or undefined to serve normally. Ends early (with a 503) once `close` was called.
   */
  apply: (target: FaultTarget) => Promise<AadstsError | undefined>
  /** Ends every pending delay; call when the app closes. */
  close: () => void
}

export const DEFAULT_RETRY_AFTER_S = 1

export function createFaults (): Faults {
  let faults: Partial<Record<FaultTarget, FaultSpec>> = {}
  const closing = new AbortController()

  function take (target: FaultTarget): FaultSpec | undefined {
    const fault = faults[target]
    if (!fault) return undefined
    if (fault.remaining !== undefined) {
      const left = fault.remaining - 1
      faults = { ...faults, [target]: left > 0 ? { ...fault, remaining: left } : undefined }
    }
    return fault
  }

  return {
    set: (settings) => { faults = { ...settings } },
    clear: () => { faults = {} },
    current: () => Object.fromEntries(Object.entries(faults).filter(([, spec]) => spec !== undefined)),
    async apply (target) {
      const fault = take(target)
      if (!fault) return undefined
      if (fault.delayMs) {
        try {
          await sleep(fault.delayMs, undefined, { signal: closing.signal })
        } catch {
          return aadsts.injected(503, DEFAULT_RETRY_AFTER_S)
        }
      }
      return fault.status === undefined ? undefined : aadsts.injected(fault.status, fault.retryAfterS ?? DEFAULT_RETRY_AFTER_S)
    },
    close: () => closing.abort()
  }
}
