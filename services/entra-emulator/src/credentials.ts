import { constants, createHash, timingSafeEqual, verify } from 'node:crypto'
import { aadsts, refuse } from './aadsts-error.js'
import type { ClientAuthMethod } from './claims.js'
import type { Application, ClientCertificate } from './directory.js'
import { decodeJwt } from './jwt.js'

/** The credential a token request carries. */
export type PresentedCredential =
  | { readonly kind: 'secret', readonly secret: string }
  | { readonly kind: 'assertion', readonly assertion: string }
  | { readonly kind: 'none' }

/** What an assertion is checked against. `now` is epoch ms. */
export interface AssertionContext {
  readonly now: number
  /** The tenant's token endpoint URLs (v2 and v1): the only accepted `aud` values. */
  readonly audiences: readonly string[]
  readonly skewS: number
}

/** Clock skew allowed on client assertions: MSAL's `iat` is a second before its `nbf`, and clocks drift. */
export const ASSERTION_SKEW_S = 60
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

const digest = (value: string) => createHash('sha256').update(value).digest()

/**
 * Accepts `secret` if it equals one of the app's secrets that is in force at `now` (epoch ms).
 * A matching but expired secret gives AADSTS7000222, anything else AADSTS7000215.
 */
export function checkSecret (app: Application, secret: string, now: number): ClientAuthMethod {
  const presented = digest(secret)
  const match = app.passwordCredentials.find((p) => timingSafeEqual(digest(p.secretText), presented))
  if (!match || (match.startDateTime !== undefined && match.startDateTime > now)) throw aadsts.wrongSecret(app.appId)
  if (match.endDateTime !== undefined && match.endDateTime <= now) throw aadsts.expiredSecret(app.appId)
  return 'secret'
}

/**
 * Verifies a private_key_jwt client assertion as Entra does: RS256 with `x5t` or PS256 with `x5t#S256` naming a
 * registered certificate, a valid signature, iss = sub = the client, `aud` = this tenant's token endpoint, and
 * nbf/exp around `now`. A reused `jti` is accepted (MSAL reuses its assertion for 10 minutes).
 */
export function checkAssertion (app: Application, assertion: string, context: AssertionContext): ClientAuthMethod {
  const jwt = decodeJwt(assertion) ?? refuse(aadsts.malformedAssertion())
  const { header, payload } = jwt
  const s256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined
  const s1 = typeof header['x5t'] === 'string' ? header['x5t'] : undefined
  const certificate = app.certificates.find((c) => c.x5tS256 === s256 || c.x5t === s1)
  if (!certificate) throw aadsts.certificateNotRegistered(s256 ?? s1 ?? '')
  if (!signatureValid(header['alg'], jwt.signingInput, jwt.signature, certificate)) throw aadsts.badAssertionSignature()
  if (payload['iss'] !== payload['sub']) throw aadsts.issuerNotSubject()
  if (payload['sub'] !== app.appId) throw aadsts.assertionClientMismatch()
  if (typeof payload['aud'] !== 'string' || !context.audiences.includes(payload['aud'])) throw aadsts.assertionAudience()
  const nowS = context.now / 1000
  const nbf = typeof payload['nbf'] === 'number' ? payload['nbf'] : 0
  const exp = typeof payload['exp'] === 'number' ? payload['exp'] : undefined
  if (exp === undefined || nowS + context.skewS < nbf || nowS - context.skewS >= exp) throw aadsts.assertionTime(context.now, nbf, exp)
  return 'certificate'
}

function signatureValid (alg: unknown, signingInput: string, signature: Buffer, certificate: ClientCertificate): boolean {
  const data = Buffer.from(signingInput)
  if (alg === 'RS256') return verify('sha256', data, certificate.publicKey, signature)
  if (alg === 'PS256') {
    return verify('sha256', data, { key: certificate.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature)
  }
  return false
}
