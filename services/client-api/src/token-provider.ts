/** A token as an acquirer hands it over. Times are epoch milliseconds. */
export interface AcquiredToken {
  readonly accessToken: string
  readonly expiresOn: number
  /** When the identity provider asks for a refresh (`refresh_in`), if it did. */
  readonly refreshOn?: number | undefined
}

/** Gets a token for one scope; `forceRefresh` must bypass any cache below it. Rejections may carry `retryAfterMs`. */
export type TokenAcquirer = (scope: string, options: { forceRefresh: boolean }) => Promise<AcquiredToken>

/** What may be shown about a token: never the token itself. */
export interface TokenFacts {
  readonly source: 'cache' | 'fresh'
  readonly expiresOn: string
  readonly scope: string
}

export interface ProvidedToken {
  readonly accessToken: string
  readonly facts: TokenFacts
}

/** No usable token, and none can be had before `retryAfterMs` has passed. `cause` is the acquirer's error. */
export class TokenUnavailableError extends Error {
  readonly retryAfterMs: number
  constructor (cause: unknown, retryAfterMs: number) {
    super('no access token is available', { cause })
    this.name = 'TokenUnavailableError'
    this.retryAfterMs = retryAfterMs
  }
}

export interface Timers {
  readonly setTimeout: (fn: () => void, ms: number) => unknown
  readonly clearTimeout: (handle: unknown) => void
}

export interface TokenProviderOptions {
  readonly acquire: TokenAcquirer
  readonly now?: () => number
  readonly timers?: Timers
  /** Told about every failed acquisition, with the delay before the next attempt. */
  readonly onError?: (error: unknown, context: { scope: string, retryInMs: number, servingCachedToken: boolean }) => void
}

export interface TokenProvider {
  /** The held token while it is usable (a field read), otherwise the one shared acquisition. */
  getToken: (scope: string) => Promise<ProvidedToken>
  /** A token other than `rejected`: the newer one if there is one, otherwise a forced acquisition, shared by all callers. */
  forceRefresh: (scope: string, rejected: string) => Promise<ProvidedToken>
  /** Starts acquiring now and keeps the token fresh in the background. */
  warm: (scope: string) => void
  /** True once a token for `scope` has been acquired. */
  hasToken: (scope: string) => boolean
  close: () => void
}

// MSAL's own renewal offset; halved for short-lived tokens.
const REFRESH_MARGIN_MS = 5 * 60_000
// A token this close to expiry is not sent: it could expire on the way.
const EXPIRY_SKEW_MS = 30_000
const RETRY_MIN_MS = 1_000
const RETRY_MAX_MS = 60_000

interface Held {
  readonly accessToken: string
  readonly usableUntil: number
  readonly refreshAt: number
  readonly cached: ProvidedToken
  readonly fresh: ProvidedToken
}

interface Slot {
  readonly scope: string
  current: Held | undefined
  inflight: Promise<Held> | undefined
  retryAt: number
  lastError: TokenUnavailableError | undefined
  failures: number
  timer: unknown
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout)
}

/**
 * Holds one token per scope in memory and shares every acquisition: N concurrent cold callers make one call to
 * `acquire`. Refreshes in the background before expiry (at `refreshOn`, otherwise a margin before `expiresOn`), keeps
 * serving the held token while a refresh fails, and backs off after failures (the acquirer's `retryAfterMs`, else
 * exponential, capped), failing fast meanwhile instead of queueing callers.
 */
export function createTokenProvider (options: TokenProviderOptions): TokenProvider {
  const { acquire, onError } = options
  const now = options.now ?? Date.now
  const timers = options.timers ?? realTimers
  const slots = new Map<string, Slot>()
  let closed = false

  const slotFor = (scope: string): Slot => {
    let slot = slots.get(scope)
    if (slot === undefined) {
      slot = { scope, current: undefined, inflight: undefined, retryAt: 0, lastError: undefined, failures: 0, timer: undefined }
      slots.set(scope, slot)
    }
    return slot
  }

  const schedule = (slot: Slot, at: number): void => {
    if (slot.timer !== undefined) timers.clearTimeout(slot.timer)
    slot.timer = closed
      ? undefined
      : timers.setTimeout(() => {
        slot.timer = undefined
        refresh(slot).catch(() => {})
      }, Math.max(0, at - now()))
  }

  const hold = (slot: Slot, token: AcquiredToken): Held => {
    const acquiredAt = now()
    const lifetime = token.expiresOn - acquiredAt
    if (!token.accessToken || !(lifetime > 0)) throw new Error('the acquirer returned an empty or expired token')
    const usableUntil = token.expiresOn - Math.min(EXPIRY_SKEW_MS, lifetime / 10)
    const refreshOn = token.refreshOn
    const refreshAt = refreshOn !== undefined && refreshOn > acquiredAt && refreshOn < usableUntil
      ? refreshOn
      : token.expiresOn - Math.min(REFRESH_MARGIN_MS, lifetime / 2)
    const expiresOn = new Date(token.expiresOn).toISOString()
    const facts = (source: TokenFacts['source']) => ({ accessToken: token.accessToken, facts: { source, expiresOn, scope: slot.scope } })
    return { accessToken: token.accessToken, usableUntil, refreshAt, cached: facts('cache'), fresh: facts('fresh') }
  }

  const run = async (slot: Slot, forceRefresh: boolean): Promise<Held> => {
    try {
      const held = hold(slot, await acquire(slot.scope, { forceRefresh: forceRefresh || slot.current !== undefined }))
      slot.current = held
      slot.failures = 0
      slot.lastError = undefined
      schedule(slot, held.refreshAt)
      return held
    } catch (err) {
      slot.failures += 1
      const hinted = (err as { retryAfterMs?: unknown } | undefined)?.retryAfterMs
      const retryInMs = typeof hinted === 'number' && hinted >= 0
        ? hinted
        : Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (slot.failures - 1))
      slot.retryAt = now() + retryInMs
      slot.lastError = new TokenUnavailableError(err, retryInMs)
      schedule(slot, slot.retryAt)
      onError?.(err, { scope: slot.scope, retryInMs, servingCachedToken: usable(slot) !== undefined })
      throw slot.lastError
    } finally {
      slot.inflight = undefined
    }
  }

  const refresh = (slot: Slot, forceRefresh = false): Promise<Held> => (slot.inflight ??= run(slot, forceRefresh))

  const usable = (slot: Slot): Held | undefined => {
    const held = slot.current
    return held !== undefined && now() < held.usableUntil ? held : undefined
  }

  const acquireFresh = async (slot: Slot, forceRefresh: boolean): Promise<ProvidedToken> => {
    if (slot.inflight === undefined && slot.lastError !== undefined) {
      const waitMs = slot.retryAt - now()
      if (waitMs > 0) throw new TokenUnavailableError(slot.lastError.cause, waitMs)
    }
    return (await refresh(slot, forceRefresh)).fresh
  }

  return {
    getToken (scope) {
      const slot = slotFor(scope)
      const held = usable(slot)
      return held !== undefined ? Promise.resolve(held.cached) : acquireFresh(slot, false)
    },
    forceRefresh (scope, rejected) {
      const slot = slotFor(scope)
      const held = usable(slot)
      if (held !== undefined && held.accessToken !== rejected) return Promise.resolve(held.cached)
      return acquireFresh(slot, true)
    },
    warm (scope) {
      const slot = slotFor(scope)
      if (slot.current === undefined) refresh(slot).catch(() => {})
    },
    hasToken: (scope) => slots.get(scope)?.current !== undefined,
    close () {
      closed = true
      for (const slot of slots.values()) if (slot.timer !== undefined) timers.clearTimeout(slot.timer)
    }
  }
}
