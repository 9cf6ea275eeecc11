import { createPublicKey, type JsonWebKey } from 'node:crypto'
import { createVerifier } from 'fast-jwt'

/** The claims of a token whose signature checked out. */
export type Claims = Readonly<Record<string, unknown>>

/** One RS256 key from the provider's key set, parsed once. */
export interface SigningKey {
  readonly kid: string
  /** The JWK's `issuer` member (Entra v2 key sets), possibly with a `{tenantid}` template. */
  readonly issuer: string | undefined
  /**
   * Checks the signature (RS256 only), the absence of `crit` extensions and the presence of `exp`,
   * and returns the claims. Throws fast-jwt's `TokenError`.
   */
  readonly verify: (token: string) => Claims
}

const MIN_MODULUS_BITS = 2048

/**
 * Parses a JWKS document into RS256 signing keys by `kid`. Keys of another type, use or algorithm,
 * and keys shorter than 2048 bits, are left out; Entra publishes no `alg`, so a missing one is accepted.
 */
export function toSigningKeys (jwks: unknown): Map<string, SigningKey> {
  const keys = new Map<string, SigningKey>()
  const list = (jwks as { keys?: unknown } | null)?.keys
  if (!Array.isArray(list)) return keys
  for (const jwk of list as Record<string, unknown>[]) {
    const key = toSigningKey(jwk)
    if (key && !keys.has(key.kid)) keys.set(key.kid, key)
  }
  return keys
}

function toSigningKey (jwk: Record<string, unknown>): SigningKey | undefined {
  const { kid, kty, use, alg, n, e, issuer } = jwk
  if (typeof kid !== 'string' || kid === '' || kty !== 'RSA' || typeof n !== 'string' || typeof e !== 'string') return undefined
  if ((use !== undefined && use !== 'sig') || (alg !== undefined && alg !== 'RS256')) return undefined
  let pem: string
  try {
    const publicKey = createPublicKey({ key: { kty, n, e } as JsonWebKey, format: 'jwk' })
    if ((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_MODULUS_BITS) return undefined
    pem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
  } catch {
    return undefined
  }
  // A verifier per key with the key given up front: fast-jwt parses it once here, not on every token.
  // Lifetime is checked by the caller against its own clock, so fast-jwt only requires that exp exists.
  const verify = createVerifier({
    key: pem,
    algorithms: ['RS256'],
    requiredClaims: ['exp'],
    ignoreExpiration: true,
    ignoreNotBefore: true,
    cache: false
  }) as (token: string) => Claims
  return { kid, issuer: typeof issuer === 'string' ? issuer : undefined, verify }
}
