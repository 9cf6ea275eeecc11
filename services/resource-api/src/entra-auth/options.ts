import type { Dispatcher } from 'undici'

/** How the plugin is registered. Only the first four matter in production; the rest have Entra's defaults. */
export interface EntraAuthOptions {
  /** e.g. `https://login.microsoftonline.com`, or the emulator's URL. Must be https. */
  readonly authorityHost: string
  /** The API's home tenant (GUID): its v2 document names the signing keys. */
  readonly tenantId: string
  /** Accepted `aud` values: the App ID URI (v1 tokens, usually) and/or the application (client) ID (v2). */
  readonly audiences: readonly string[]
  /** Tenants whose tokens are accepted (GUIDs). Default: `[tenantId]`. */
  readonly acceptedTenantIds?: readonly string[]
  /** Tolerance on `exp` and `nbf`. Default 300 s, as Microsoft.IdentityModel. */
  readonly clockSkewSeconds?: number
  /** The `realm` of the `WWW-Authenticate` challenge. Default: the first audience. */
  readonly realm?: string
  /** Tokens longer than this are refused unparsed. Default 16 KiB. */
  readonly maxTokenLength?: number
  /** Verification results kept until their token expires. Default 1000; 0 turns the cache off. */
  readonly cacheSize?: number
  /** Background refresh of metadata and keys. Default 12 h, plus up to 5 % jitter. */
  readonly refreshIntervalMs?: number
  /** Minimum time between refetches caused by unknown `kid`s; the first goes at once. Default 5 min. */
  readonly refetchCooldownMs?: number
  /** Deadline of each metadata or keys request. Default 5 s. */
  readonly fetchTimeoutMs?: number
  /** Retry delays after a failed load: doubling from `retryMinMs` to `retryMaxMs`. Default 1 s to 60 s. */
  readonly retryMinMs?: number
  readonly retryMaxMs?: number
  /** The clock, in ms since the epoch. Default `Date.now`. */
  readonly now?: () => number
  /** Jitter source in [0, 1). Default `Math.random`. */
  readonly random?: () => number
  /** Dispatcher for provider requests (a proxy agent, or a MockAgent in tests). Default: a private undici Agent. */
  readonly dispatcher?: Dispatcher
}

/** Options after validation, with every default filled in. */
export interface ResolvedOptions {
  readonly authorityHost: string
  readonly tenantId: string
  readonly audiences: readonly string[]
  readonly acceptedTenantIds: readonly string[]
  readonly clockSkewMs: number
  readonly realm: string
  readonly maxTokenLength: number
  readonly cacheSize: number
  readonly refreshIntervalMs: number
  readonly refetchCooldownMs: number
  readonly fetchTimeoutMs: number
  readonly retryMinMs: number
  readonly retryMaxMs: number
  readonly now: () => number
  readonly random: () => number
  readonly dispatcher: Dispatcher | undefined
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const MINUTE = 60_000

/** Validates options once at registration (bad ones fail `app.ready()`) and applies the defaults. */
export function resolveOptions (options: EntraAuthOptions): ResolvedOptions {
  const fail = (message: string): never => { throw new TypeError(`entra-auth: ${message}`) }
  if (!URL.canParse(options.authorityHost) || new URL(options.authorityHost).protocol !== 'https:') fail('authorityHost must be an https URL')
  if (!GUID.test(options.tenantId)) fail('tenantId must be a GUID')
  if (options.audiences.length === 0 || options.audiences.some((aud) => aud === '')) fail('audiences must list at least one audience')
  const accepted = options.acceptedTenantIds ?? [options.tenantId]
  if (accepted.length === 0 || accepted.some((tid) => !GUID.test(tid))) fail('acceptedTenantIds must be GUIDs')
  return {
    authorityHost: options.authorityHost.replace(/\/+$/, ''),
    tenantId: options.tenantId.toLowerCase(),
    audiences: [...options.audiences],
    acceptedTenantIds: accepted.map((tid) => tid.toLowerCase()),
    clockSkewMs: nonNegative(options.clockSkewSeconds ?? 300, 'clockSkewSeconds', fail) * 1000,
    realm: options.realm ?? (options.audiences[0] as string),
    maxTokenLength: nonNegative(options.maxTokenLength ?? 16 * 1024, 'maxTokenLength', fail),
    cacheSize: nonNegative(options.cacheSize ?? 1000, 'cacheSize', fail),
    refreshIntervalMs: nonNegative(options.refreshIntervalMs ?? 12 * 60 * MINUTE, 'refreshIntervalMs', fail),
    refetchCooldownMs: nonNegative(options.refetchCooldownMs ?? 5 * MINUTE, 'refetchCooldownMs', fail),
    fetchTimeoutMs: nonNegative(options.fetchTimeoutMs ?? 5_000, 'fetchTimeoutMs', fail),
    retryMinMs: nonNegative(options.retryMinMs ?? 1_000, 'retryMinMs', fail),
    retryMaxMs: nonNegative(options.retryMaxMs ?? MINUTE, 'retryMaxMs', fail),
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    dispatcher: options.dispatcher
  }
}

function nonNegative (value: number, name: string, fail: (message: string) => never): number {
  return Number.isFinite(value) && value >= 0 ? value : fail(`${name} must be a non-negative number`)
}
