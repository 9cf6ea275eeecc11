import type { Claims } from './signing-keys.js'
import type { TokenVersion } from './metadata.js'

/** The application that called, as the validated token names it. */
export interface Caller {
  /** The client application's ID: `azp` in v2 tokens, `appid` in v1 tokens. */
  readonly appId: string
  /** The tenant the token was issued in (`tid`). */
  readonly tenantId: string
  /** The caller's object ID (`oid`): the service principal for application tokens. */
  readonly objectId: string
  /** The application roles granted to the caller (`roles`), possibly none. */
  readonly roles: readonly string[]
  readonly tokenVersion: TokenVersion
}

/** A token that passed every check of the verifier, ready to be matched against a route's requirement. */
export interface VerifiedToken {
  readonly caller: Caller
  /** True for app-only (client credentials) tokens, false for tokens acting for a user. */
  readonly appOnly: boolean
}

/**
 * App-only detection in Microsoft's order: `idtyp` "app" when the resource opted in to it, otherwise
 * `oid` equal to `sub`; a token carrying `scp` always acts for a user.
 */
export function isAppOnly (claims: Claims): boolean {
  if (claims['scp'] !== undefined || typeof claims['oid'] !== 'string') return false
  const idtyp = claims['idtyp']
  return idtyp === undefined ? claims['oid'] === claims['sub'] : idtyp === 'app'
}

/** Builds the caller from verified claims; `version` comes from the matched issuer. */
export function toVerifiedToken (claims: Claims, tenantId: string, version: TokenVersion): VerifiedToken | undefined {
  const appId = version === '2.0' ? claims['azp'] : claims['appid']
  const objectId = claims['oid']
  if (typeof appId !== 'string' || typeof objectId !== 'string') return undefined
  const caller: Caller = Object.freeze({ appId, tenantId, objectId, roles: Object.freeze(rolesOf(claims['roles'])), tokenVersion: version })
  return Object.freeze({ caller, appOnly: isAppOnly(claims) })
}

// Entra sends an array; a space-separated string is read the way Microsoft.Identity.Web reads it.
function rolesOf (value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((role): role is string => typeof role === 'string')
  return typeof value === 'string' ? value.split(' ').filter(Boolean) : []
}
