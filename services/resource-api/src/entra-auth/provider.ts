import { ProviderError, type FetchJson } from './fetch-json.js'
import { loadMetadata, type MetadataSource, type ProviderMetadata } from './metadata.js'
import { createKeyStore, type KeyStore } from './key-store.js'
import { toSigningKeys, type SigningKey } from './signing-keys.js'

/** Where and how often to read the identity provider. */
export interface ProviderOptions extends MetadataSource {
  readonly fetchJson: FetchJson
  readonly now: () => number
  readonly random: () => number
  /** Background refresh period; each wait adds up to 5 % jitter. */
  readonly refreshIntervalMs: number
  /** First retry delay after a failed load; doubles on each failure up to `retryMaxMs`. */
  readonly retryMinMs: number
  readonly retryMaxMs: number
  readonly refetchCooldownMs: number
  /** Told when a key is withdrawn or the accepted issuers change: cached verdicts must go. */
  readonly onTrustChanged: () => void
  readonly log: { warn: (obj: object, msg: string) => void, info: (obj: object, msg: string) => void }
}

/** The identity provider as the verifier sees it: metadata and keys, kept fresh in the background. */
export interface Provider {
  readonly metadata: () => ProviderMetadata | undefined
  readonly keys: KeyStore
  /** True once metadata and keys have loaded; stays true while later refreshes fail (last good is kept). */
  readonly isReady: () => boolean
  /** Resolves after the first successful load. */
  readonly whenReady: () => Promise<void>
  /** Starts loading now, then refreshes every interval, retrying with backoff after a failure. */
  readonly start: () => void
  /** Loads metadata and keys once; rejects with a ProviderError and keeps the last good on failure. */
  readonly refresh: () => Promise<void>
  readonly close: () => void
}

const JITTER = 0.05
const UNKNOWN_KID_LIMIT = 1024
const UNKNOWN_KID_TTL_MS = 60 * 60 * 1000

/** Creates a {@link Provider}. Nothing is fetched until `start` or `refresh`. */
export function createProvider (options: ProviderOptions): Provider {
  const { fetchJson, now, random, refreshIntervalMs, retryMinMs, retryMaxMs, onTrustChanged, log } = options
  let metadata: ProviderMetadata | undefined
  let timer: NodeJS.Timeout | undefined
  let closed = false
  let failures = 0
  let markReady!: () => void
  const ready = new Promise<void>((resolve) => { markReady = resolve })

  async function fetchKeys (jwksUri: string): Promise<Map<string, SigningKey>> {
    const keys = toSigningKeys(await fetchJson(jwksUri))
    if (keys.size === 0) throw new ProviderError('provider_invalid', jwksUri, 'the key set holds no usable RS256 key')
    return keys
  }

  const keys = createKeyStore({
    fetchKeys: () => fetchKeys(metadata?.jwksUri ?? ''),
    now,
    refetchCooldownMs: options.refetchCooldownMs,
    unknownKidLimit: UNKNOWN_KID_LIMIT,
    unknownKidTtlMs: UNKNOWN_KID_TTL_MS,
    onRefetchError: (err) => log.warn(describe(err), 'could not refetch the signing keys for an unknown kid'),
    onKeyWithdrawn: onTrustChanged
  })

  async function refresh (): Promise<void> {
    const next = await loadMetadata(options, fetchJson)
    const keySet = await fetchKeys(next.jwksUri)
    const issuersChanged = metadata !== undefined && !sameIssuers(metadata, next)
    metadata = next
    keys.replace(keySet)
    if (issuersChanged) onTrustChanged()
    log.info({ keys: keySet.size, issuers: next.issuers.size }, 'metadata and signing keys loaded')
    markReady()
  }

  function cycle (): void {
    refresh().then(() => {
      failures = 0
      schedule(refreshIntervalMs * (1 + JITTER * random()))
    }, (err: unknown) => {
      failures += 1
      const delay = Math.min(retryMaxMs, retryMinMs * 2 ** (failures - 1))
      const msg = metadata ? 'identity provider unavailable: serving the last good keys' : 'identity provider unavailable: not ready'
      log.warn({ ...describe(err), retryInMs: delay }, msg)
      schedule(delay)
    })
  }

  function schedule (delayMs: number): void {
    if (closed) return
    timer = setTimeout(cycle, delayMs)
    timer.unref()
  }

  return {
    metadata: () => metadata,
    keys,
    isReady: () => metadata !== undefined,
    whenReady: () => ready,
    start: cycle,
    refresh,
    close: () => {
      closed = true
      clearTimeout(timer)
    }
  }
}

function sameIssuers (a: ProviderMetadata, b: ProviderMetadata): boolean {
  if (a.issuers.size !== b.issuers.size) return false
  for (const [iss, trusted] of a.issuers) {
    const other = b.issuers.get(iss)
    if (other?.tenantId !== trusted.tenantId || other.version !== trusted.version) return false
  }
  return true
}

function describe (err: unknown): { code?: string, error: string } {
  return err instanceof ProviderError ? { code: err.code, error: err.message } : { error: String(err) }
}
