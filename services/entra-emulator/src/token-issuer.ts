import { aadsts, refuse } from './aadsts-error.js'
import type { ClientAuthMethod } from './claims.js'
import { clientCredentialsGrant } from './client-credentials.js'
import type { Directory } from './directory.js'
import type { KeyStore } from './key-store.js'
import type { TenantRegistration } from './registrations.js'
import type { TokenParams } from './token-params.js'

/** One POST to a token endpoint, already parsed. */
export interface TokenRequest {
  /** The tenant segment of the path, as sent. */
  readonly tenant: string
  /** 2 for `/oauth2/v2.0/token`, 1 for `/oauth2/token`. */
  readonly endpoint: 1 | 2
  readonly params: TokenParams
  readonly authorization: string | undefined
  /** The issuer base URL (scheme, host and port) tokens and assertion audiences are built on. */
  readonly issuerBase: string
}

/** A token the emulator issued: the response body, and facts safe to log. */
export interface IssuedToken {
  readonly body: Record<string, string | number>
  readonly clientId: string
  readonly auth: ClientAuthMethod
  readonly version: 1 | 2
}

/** What grants need: lookups, keys, the lifetime, and injectable time and randomness. */
export interface IssuerDeps {
  readonly directory: Directory
  readonly keys: KeyStore
  readonly lifetimeS: number
  /** Epoch ms. */
  readonly now: () => number
  /** Random base64url text of `bytes` bytes. */
  readonly random: (bytes: number) => string
}

export type GrantHandler = (request: TokenRequest, tenant: TenantRegistration, deps: IssuerDeps) => IssuedToken

/** The grants the emulator serves; anything else is AADSTS70003. */
export const grants: Readonly<Record<string, GrantHandler>> = { client_credentials: clientCredentialsGrant }

/** Issues a token for `request` or throws the AADSTS refusal Entra would give. */
export function issueToken (request: TokenRequest, deps: IssuerDeps): IssuedToken {
  const tenant = deps.directory.tenant(request.tenant) ?? refuse(aadsts.unknownTenant(request.tenant))
  const grantType = request.params.get('grant_type')?.trim() || refuse(aadsts.missingParameter('grant_type'))
  const grant = Object.hasOwn(grants, grantType) ? grants[grantType] : undefined
  if (!grant) throw aadsts.unsupportedGrant(grantType)
  return grant(request, tenant, deps)
}
