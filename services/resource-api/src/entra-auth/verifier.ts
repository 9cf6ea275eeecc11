import { createDecoder } from 'fast-jwt'
import { TokenRejected, reasonOf, type ClaimedIdentity, type Reason } from './reasons.js'
import { createResultCache } from './result-cache.js'
import { toVerifiedToken, type VerifiedToken } from './caller.js'
import type { KeyStore } from './key-store.js'
import type { ProviderMetadata } from './metadata.js'
import type { Claims } from './signing-keys.js'

/** What the verifier checks against. */
export interface TokenVerifierOptions {
  /** Accepted `aud` values: App ID URI and/or application (client) ID. */
  readonly audiences: readonly string[]
  readonly acceptedTenantIds: readonly string[]
  readonly clockSkewMs: number
  /** Longer tokens are refused before any parsing. */
  readonly maxTokenLength: number
  /** Verification results kept (0 turns the cache off). */
  readonly cacheSize: number
  readonly now: () => number
  /** The current metadata, or undefined before the first successful load. */
  readonly metadata: () => ProviderMetadata | undefined
  readonly keys: Pick<KeyStore, 'get' | 'find'>
}

/** Verifies Entra access tokens the way Microsoft.Identity.Web does, caching results until `exp`. */
export interface TokenVerifier {
  /** The cached result for a token verified before and not expired yet: the synchronous hot path. */
  cached: (token: string) => VerifiedToken | undefined
  /** Runs every check; throws {@link TokenRejected} naming the first that fails. */
  verify: (token: string) => Promise<VerifiedToken>
  /** Forgets every cached result (after a key is withdrawn or the issuers change). */
  clearCache: () => void
}

const GRAPH_AUDIENCES = new Set(['00000003-0000-0000-c000-000000000000', 'https://graph.microsoft.com', 'https://graph.microsoft.com/'])
const EMBEDDED_KEY_HEADERS = ['jwk', 'jku', 'x5u', 'x5c']
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Creates a {@link TokenVerifier}. */
export function createTokenVerifier (options: TokenVerifierOptions): TokenVerifier {
  const { audiences, acceptedTenantIds, clockSkewMs, maxTokenLength, now, metadata, keys } = options
  const cache = createResultCache<VerifiedToken>(options.cacheSize)

  async function verify (token: string): Promise<VerifiedToken> {
    if (token.length > maxTokenLength) throw new TokenRejected('token_too_large')
    const header = readHeader(token)
    if (header === undefined) throw unverified(token, 'malformed_token')
    if (header['alg'] !== 'RS256') throw unverified(token, 'unsupported_algorithm')
    if (EMBEDDED_KEY_HEADERS.some((name) => name in header)) throw unverified(token, 'embedded_key')
    const current = metadata()
    if (!current) throw unverified(token, 'keys_unavailable')
    const kid = header['kid']
    const key = typeof kid === 'string' ? (keys.get(kid) ?? await keys.find(kid)) : undefined
    if (!key) throw unverified(token, 'unknown_key')

    let claims: Claims
    try {
      claims = key.verify(token)
    } catch (err) {
      throw unverified(token, reasonOf(err))
    }
    const reject = (reason: Reason) => new TokenRejected(reason, claimedIdentity(claims), isGraphAudience(claims['aud']))

    // Lifetime is checked here rather than by fast-jwt so that the verdict and the cache share one clock.
    const at = now()
    const exp = claims['exp']
    const nbf = claims['nbf']
    if (!isTime(exp) || (nbf !== undefined && !isTime(nbf))) throw reject('malformed_token')
    if (at > exp * 1000 + clockSkewMs) throw reject('expired')
    if (nbf !== undefined && at < nbf * 1000 - clockSkewMs) throw reject('not_yet_valid')

    const tid = claims['tid']
    if (typeof tid !== 'string') throw reject('bad_issuer')
    if (!acceptedTenantIds.includes(tid)) throw reject('wrong_tenant')
    const iss = claims['iss']
    const issuer = typeof iss === 'string' ? current.issuers.get(iss) : undefined
    if (!issuer || issuer.tenantId !== tid) throw reject('bad_issuer')
    if (key.issuer !== undefined) {
      const keyIssuer = key.issuer.replaceAll('{tenantid}', tid)
      if (keyIssuer !== iss && keyIssuer !== current.v2Issuers.get(tid)) throw reject('bad_key_issuer')
    }
    if (!hasAcceptedAudience(claims['aud'], audiences)) throw reject('bad_audience')

    const verified = toVerifiedToken(claims, tid, issuer.version)
    if (!verified) throw reject('not_app_token')
    if (exp * 1000 > at) cache.set(token, verified, exp * 1000)
    return verified
  }

  return {
    cached: (token) => cache.get(token, now()),
    verify,
    clearCache: cache.clear
  }
}

const BASE64URL = /^[A-Za-z0-9_-]+$/
const peek = createDecoder()

// Only the header is read before the signature is checked: the payload is decoded once, by fast-jwt.
function readHeader (token: string): Claims | undefined {
  const dot = token.indexOf('.')
  const segment = token.slice(0, dot)
  if (dot <= 0 || !BASE64URL.test(segment)) return undefined
  try {
    const header: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString())
    return header !== null && typeof header === 'object' && !Array.isArray(header) ? header as Claims : undefined
  } catch {
    return undefined
  }
}

// A refusal before the signature checked out: the unverified payload only feeds the log line and the Graph hint.
function unverified (token: string, reason: Reason): TokenRejected {
  let payload: Claims = {}
  try {
    payload = peek(token) as Claims
  } catch {}
  return new TokenRejected(reason, claimedIdentity(payload), isGraphAudience(payload['aud']))
}

function isTime (value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

function hasAcceptedAudience (aud: unknown, audiences: readonly string[]): boolean {
  if (typeof aud === 'string') return audiences.includes(aud)
  return Array.isArray(aud) && aud.some((value) => typeof value === 'string' && audiences.includes(value))
}

function isGraphAudience (aud: unknown): boolean {
  return typeof aud === 'string' && GRAPH_AUDIENCES.has(aud.toLowerCase())
}

// Unverified, for the rejection log line only, and only when GUID-shaped so nothing arbitrary is logged.
function claimedIdentity (payload: Claims): ClaimedIdentity {
  const appid = payload['azp'] ?? payload['appid']
  const tid = payload['tid']
  return {
    ...(typeof appid === 'string' && GUID.test(appid) ? { appid } : {}),
    ...(typeof tid === 'string' && GUID.test(tid) ? { tid } : {})
  }
}
