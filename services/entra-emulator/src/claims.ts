/** How the client proved itself: `1` for a secret, `2` for a certificate (Entra's appidacr/azpacr). */
export type ClientAuthMethod = 'secret' | 'certificate'

/** Everything an app-only access token says. Times are epoch seconds. */
export interface TokenFacts {
  readonly version: 1 | 2
  readonly issuerBase: string
  readonly tenantId: string
  readonly clientAppId: string
  /** The client's service principal object id in this tenant (oid = sub for app-only tokens). */
  readonly clientPrincipalId: string
  /** v2: the resource's appId; v1: the identifier the client asked for. */
  readonly audience: string
  readonly roles: readonly string[]
  readonly auth: ClientAuthMethod
  readonly issuedAt: number
  readonly lifetimeS: number
  /** Random base64url text of `bytes` bytes (aio, rh, uti). */
  readonly random: (bytes: number) => string
}

/** The issuer of a token of `version` for `tenantId`. v1 keeps Entra's path shape on the emulator host (see README). */
export function issuerOf (version: 1 | 2, issuerBase: string, tenantId: string): string {
  return version === 2 ? `${issuerBase}/${tenantId}/v2.0` : `${issuerBase}/${tenantId}/`
}

/** The JOSE header: v1 tokens repeat the kid as x5t, as Entra's do. */
export function accessTokenHeader (version: 1 | 2, kid: string): Record<string, string> {
  return version === 2 ? { typ: 'JWT', alg: 'RS256', kid } : { typ: 'JWT', alg: 'RS256', x5t: kid, kid }
}

/** The claims of an app-only access token, in Entra's order (entra-protocol.md §6). */
export function accessTokenClaims (facts: TokenFacts): Record<string, unknown> {
  const iss = issuerOf(facts.version, facts.issuerBase, facts.tenantId)
  const acr = facts.auth === 'certificate' ? '2' : '1'
  const times = { iat: facts.issuedAt, nbf: facts.issuedAt, exp: facts.issuedAt + facts.lifetimeS }
  const caller = facts.version === 2 ? { azp: facts.clientAppId, azpacr: acr } : { appid: facts.clientAppId, appidacr: acr, idp: iss }
  return {
    aud: facts.audience,
    iss,
    ...times,
    aio: facts.random(48),
    ...caller,
    idtyp: 'app',
    oid: facts.clientPrincipalId,
    rh: `1.${facts.random(42)}.`,
    ...(facts.roles.length > 0 ? { roles: [...facts.roles] } : {}),
    sub: facts.clientPrincipalId,
    tid: facts.tenantId,
    uti: facts.random(16),
    ver: facts.version === 2 ? '2.0' : '1.0'
  }
}

/** Seconds after which MSAL should refresh proactively: half the lifetime, sent only for lifetimes over 2 h. */
export const refreshIn = (lifetimeS: number): number | undefined => lifetimeS > 7200 ? Math.floor(lifetimeS / 2) : undefined

/** The token endpoint's answer: v2 with JSON numbers, v1 with strings as Entra sends them. No `scope` (it breaks MSAL's cache). */
export function tokenResponse (endpoint: 1 | 2, accessToken: string, facts: Pick<TokenFacts, 'issuedAt' | 'lifetimeS'>, resource: string): Record<string, string | number> {
  const refresh = refreshIn(facts.lifetimeS)
  if (endpoint === 2) {
    return { token_type: 'Bearer', expires_in: facts.lifetimeS, ext_expires_in: facts.lifetimeS, ...(refresh ? { refresh_in: refresh } : {}), access_token: accessToken }
  }
  return {
    token_type: 'Bearer',
    expires_in: String(facts.lifetimeS),
    ext_expires_in: String(facts.lifetimeS),
    ...(refresh ? { refresh_in: String(refresh) } : {}),
    expires_on: String(facts.issuedAt + facts.lifetimeS),
    not_before: String(facts.issuedAt),
    resource,
    access_token: accessToken
  }
}
