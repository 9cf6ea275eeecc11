import { generateKeyPair, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import { selfSignedCertificate, x5tOf } from '@entra-s2s/shared'
import type { TokenVersion } from './endpoints.js'

/** A published signing key: kid = x5t, the base64url SHA-1 thumbprint of its certificate, as Entra does. */
export interface SigningKey {
  readonly kid: string
  readonly privateKey: KeyObject
  readonly jwk: Readonly<PublishedJwk>
}

/** A JWKS entry as Entra publishes it: no `alg`; `issuer` only in v2 key sets. */
export interface PublishedJwk {
  kty: 'RSA'
  use: 'sig'
  kid: string
  x5t: string
  n: string
  e: string
  x5c: string[]
  issuer?: string
}

/** The emulator's one key set, shared by every tenant as in Entra. */
export interface KeyStore {
  /** The key that signs new tokens. */
  signer: () => SigningKey
  /** Adds a key and makes it the signer; the previous keys stay published. */
  rotate: () => Promise<SigningKey>
  /** The JWKS document; v2 entries carry `issuerTemplate` (with `{tenantid}`). */
  jwks: (version: TokenVersion, issuerTemplate: string) => { keys: PublishedJwk[] }
}

const generateRsaKeyPair = promisify(generateKeyPair)
/** Keys kept published, newest first; older ones drop off as Entra retires keys. */
const PUBLISHED_KEYS = 4
const CERT_VALIDITY_DAYS = 730

async function createSigningKey (now: number): Promise<SigningKey> {
  const keys = await generateRsaKeyPair('rsa', { modulusLength: 2048 })
  const cert = selfSignedCertificate(keys, 'entra-s2s emulator token signing (local development only)',
    { notBefore: new Date(now - 60_000), validityDays: CERT_VALIDITY_DAYS })
  const kid = x5tOf(cert.der)
  const { n, e } = keys.publicKey.export({ format: 'jwk' })
  if (!n || !e) throw new Error('RSA public key without n/e')
  return { kid, privateKey: keys.privateKey, jwk: { kty: 'RSA', use: 'sig', kid, x5t: kid, n, e, x5c: [cert.der.toString('base64')] } }
}

/** Creates the key store with one fresh RSA-2048 key (in memory only). */
export async function createKeyStore (deps: { now?: () => number } = {}): Promise<KeyStore> {
  const now = deps.now ?? Date.now
  let keys = [await createSigningKey(now())]
  return {
    signer: () => keys[0]!,
    async rotate () {
      const key = await createSigningKey(now())
      keys = [key, ...keys].slice(0, PUBLISHED_KEYS)
      return key
    },
    jwks: (version, issuerTemplate) => ({
      keys: keys.map(({ jwk }) => version === 'v2' ? { ...jwk, issuer: issuerTemplate } : { ...jwk })
    })
  }
}
