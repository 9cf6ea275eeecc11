import type { SigningKey } from './signing-keys.js'

/** How the key store reads the provider's key set. */
export interface KeyStoreOptions {
  /** Fetches and parses the current key set; rejects when the provider cannot be read. */
  readonly fetchKeys: () => Promise<Map<string, SigningKey>>
  readonly now: () => number
  /** Minimum time between two refetches caused by unknown `kid`s (the first one goes at once). */
  readonly refetchCooldownMs: number
  /** How many confirmed-unknown `kid`s are remembered, and for how long. */
  readonly unknownKidLimit: number
  readonly unknownKidTtlMs: number
  /** Told when a refetch for an unknown `kid` fails; the store then answers "not found". */
  readonly onRefetchError: (err: unknown) => void
  /** Told when a new key set no longer holds a key that was loaded (so results verified with it must go). */
  readonly onKeyWithdrawn: () => void
}

/** Signing keys by `kid`, with a bounded refetch for `kid`s it has not seen. */
export interface KeyStore {
  /** The key for `kid` if already loaded: the synchronous hot path. */
  get: (kid: string) => SigningKey | undefined
  /**
   * The key for a `kid` not loaded yet. Refetches the key set at most once per cooldown, shares one fetch
   * among concurrent callers, and remembers `kid`s the provider does not publish.
   */
  find: (kid: string) => Promise<SigningKey | undefined>
  /** Installs a freshly loaded key set. */
  replace: (keys: Map<string, SigningKey>) => void
  readonly size: () => number
}

/** Creates a {@link KeyStore}. Rejections of `fetchKeys` in `find` are reported, never thrown. */
export function createKeyStore (options: KeyStoreOptions): KeyStore {
  const { fetchKeys, now, refetchCooldownMs, unknownKidLimit, unknownKidTtlMs, onRefetchError, onKeyWithdrawn } = options
  let keys = new Map<string, SigningKey>()
  let lastRefetchAt = Number.NEGATIVE_INFINITY
  let inflight: Promise<boolean> | undefined
  // kid → when it stops being known as unknown; insertion order makes the oldest the first evicted.
  const unknownKids = new Map<string, number>()

  function replace (next: Map<string, SigningKey>): void {
    const withdrawn = [...keys.keys()].some((kid) => !next.has(kid))
    keys = next
    if (withdrawn) onKeyWithdrawn()
  }

  function refetch (): Promise<boolean> {
    lastRefetchAt = now()
    inflight = fetchKeys()
      .then((next) => { replace(next); return true }, (err: unknown) => { onRefetchError(err); return false })
      .finally(() => { inflight = undefined })
    return inflight
  }

  function rememberUnknown (kid: string): void {
    unknownKids.delete(kid)
    if (unknownKids.size >= unknownKidLimit) unknownKids.delete(unknownKids.keys().next().value as string)
    unknownKids.set(kid, now() + unknownKidTtlMs)
  }

  function isKnownUnknown (kid: string): boolean {
    const until = unknownKids.get(kid)
    if (until === undefined) return false
    if (until > now()) return true
    unknownKids.delete(kid)
    return false
  }

  async function find (kid: string): Promise<SigningKey | undefined> {
    const loaded = keys.get(kid)
    if (loaded) return loaded
    if (isKnownUnknown(kid)) return undefined
    if (!inflight && now() - lastRefetchAt < refetchCooldownMs) return undefined
    const fetched = await (inflight ?? refetch())
    const found = keys.get(kid)
    if (!found && fetched) rememberUnknown(kid)
    return found
  }

  return { get: (kid) => keys.get(kid), find, replace, size: () => keys.size }
}
