/** A bounded cache of verification results keyed on the token string itself (no hashing, no collisions). */
export interface ResultCache<T> {
  /** The result for `token` if cached and not yet past its expiry at `now` (ms). */
  get: (token: string, now: number) => T | undefined
  /** Caches `value` until `expiresAt` (ms); when full, the oldest entry makes room. */
  set: (token: string, value: T, expiresAt: number) => void
  clear: () => void
  readonly size: () => number
}

interface Entry<T> { readonly value: T, readonly expiresAt: number }

/** Creates a {@link ResultCache} holding at most `limit` entries; a limit of 0 disables it. */
export function createResultCache<T> (limit: number): ResultCache<T> {
  const entries = new Map<string, Entry<T>>()

  function get (token: string, now: number): T | undefined {
    const entry = entries.get(token)
    if (entry === undefined) return undefined
    if (entry.expiresAt > now) return entry.value
    entries.delete(token)
    return undefined
  }

  function set (token: string, value: T, expiresAt: number): void {
    if (limit === 0) return
    if (entries.size >= limit && !entries.has(token)) entries.delete(entries.keys().next().value as string)
    entries.set(token, { value, expiresAt })
  }

  return { get, set, clear: () => entries.clear(), size: () => entries.size }
}
