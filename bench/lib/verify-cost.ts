import { createPublicKey, verify, type JsonWebKey } from 'node:crypto'
import { request } from 'undici'
import { toSigningKeys } from '@entra-s2s/resource-api/dist/entra-auth/signing-keys.js'
import { createTokenVerifier } from '@entra-s2s/resource-api/dist/entra-auth/verifier.js'
import { RESOURCE_APP_ID, TENANT_A } from './demo.js'
import { median } from './stats.js'

/** Sequential µs per token, in the runner (no HTTP), for the layers of the resource API's verification. */
export interface VerifyCost {
  /** node:crypto one-shot RS256 verify with a KeyObject, on pre-split Buffers: the floor. */
  readonly rsaUs: number
  /** The resource API's per-key fast-jwt verifier (signature, `crit`, `exp` present). */
  readonly signingKeyUs: number
  /** The resource API's whole verifier (size, decode, header, key, signature, lifetime, tenant, issuer, audience, caller). */
  readonly verifierUs: number
}

const PASSES = 3

async function perToken (tokens: readonly string[], check: (token: string) => unknown): Promise<number> {
  const samples: number[] = []
  for (let pass = 0; pass < PASSES; pass++) {
    const started = performance.now()
    for (const token of tokens) await check(token)
    samples.push(((performance.now() - started) * 1000) / tokens.length)
  }
  return median(samples)
}

/** Measures {@link VerifyCost} on `tokens` (distinct, valid, from the emulator at `authorityHost`), with its JWKS. */
export async function measureVerifyCost (authorityHost: string, tokens: readonly string[]): Promise<VerifyCost> {
  const res = await request(`${authorityHost}/${TENANT_A}/discovery/v2.0/keys`)
  const jwks = await res.body.json() as { keys: Array<JsonWebKey & { kid: string }> }
  const keys = toSigningKeys(jwks)
  const issuer = `${authorityHost}/${TENANT_A}/v2.0`
  const verifier = createTokenVerifier({
    audiences: [RESOURCE_APP_ID, `api://${RESOURCE_APP_ID}`],
    acceptedTenantIds: [TENANT_A],
    clockSkewMs: 300_000,
    maxTokenLength: 16 * 1024,
    cacheSize: 0,
    now: Date.now,
    metadata: () => ({ jwksUri: '', issuers: new Map([[issuer, { tenantId: TENANT_A, version: '2.0' as const }]]), v2Issuers: new Map([[TENANT_A, issuer]]) }),
    keys: { get: (kid) => keys.get(kid), find: async (kid) => keys.get(kid) }
  })
  const keyObject = createPublicKey({ key: jwks.keys[0]!, format: 'jwk' })
  const split = new Map(tokens.map((t) => {
    const cut = t.lastIndexOf('.')
    return [t, { input: Buffer.from(t.slice(0, cut)), signature: Buffer.from(t.slice(cut + 1), 'base64url') }]
  }))
  const signingKey = keys.get(jwks.keys[0]!.kid)
  if (!signingKey) throw new Error('the emulator\'s signing key was not accepted')

  const rsaUs = await perToken(tokens, (token) => {
    const { input, signature } = split.get(token)!
    if (!verify('sha256', input, keyObject, signature)) throw new Error('a minted token failed RSA verification')
  })
  const signingKeyUs = await perToken(tokens, (token) => signingKey.verify(token))
  const verifierUs = await perToken(tokens, (token) => verifier.verify(token))
  return { rsaUs, signingKeyUs, verifierUs }
}
