import { aadsts, refuse } from './aadsts-error.js'
import { accessTokenClaims, accessTokenHeader, tokenResponse, type ClientAuthMethod } from './claims.js'
import { ASSERTION_SKEW_S, checkAssertion, checkSecret, type PresentedCredential } from './credentials.js'
import { principalId, rolesFor, type Application } from './directory.js'
import { tenantUrls } from './endpoints.js'
import { signRs256 } from './jwt.js'
import type { GrantHandler, IssuerDeps, TokenRequest } from './token-issuer.js'
import { clientCredential, required, resourceFromScope } from './token-params.js'

/**
 * The client credentials grant (entra-protocol.md §4–6): authenticate the client, resolve the one resource,
 * and sign an app-only token whose version follows the resource's accessTokenAcceptedVersion.
 */
export const clientCredentialsGrant: GrantHandler = (request, tenant, deps) => {
  const { clientId, credential } = clientCredential(request.params, request.authorization)
  const identifier = requestedResource(request)
  const client = deps.directory.application(tenant.id, clientId) ?? refuse(aadsts.unknownClient(clientId, request.tenant))
  const now = deps.now()
  const auth = authenticate(client, credential, request, tenant.id, now)
  const resource = deps.directory.resource(tenant.id, identifier) ?? refuse(aadsts.unknownResource(identifier, tenant.id))
  const version = resource.accessTokenAcceptedVersion === 2 ? 2 : 1
  const facts = {
    version,
    issuerBase: request.issuerBase,
    tenantId: tenant.id,
    clientAppId: client.appId,
    clientPrincipalId: principalId(tenant.id, client.appId),
    audience: version === 2 ? resource.appId : registeredForm(resource, identifier),
    roles: rolesFor(client, resource),
    auth,
    issuedAt: Math.floor(now / 1000),
    lifetimeS: deps.lifetimeS,
    random: deps.random
  } as const
  const token = sign(facts, deps)
  return { body: tokenResponse(request.endpoint, token, facts, identifier), clientId: client.appId, auth, version }
}

function requestedResource (request: TokenRequest): string {
  if (request.endpoint === 1) return required(request.params, 'resource')
  if (request.params.has('resource')) throw aadsts.resourceParameterOnV2()
  return resourceFromScope(required(request.params, 'scope'))
}

function authenticate (client: Application, credential: PresentedCredential, request: TokenRequest, tenantId: string, now: number): ClientAuthMethod {
  if (credential.kind === 'secret') return checkSecret(client, credential.secret, now)
  if (credential.kind === 'none') throw aadsts.noCredential()
  const urls = tenantUrls(request.issuerBase, tenantId)
  // The assertion names the endpoint as the client spelled the tenant, which may differ in case.
  const spelled = tenantUrls(request.issuerBase, request.tenant)
  return checkAssertion(client, credential.assertion, { now, audiences: [urls.v2Token, urls.v1Token, spelled.v2Token, spelled.v1Token], skewS: ASSERTION_SKEW_S })
}

/** v1 tokens carry the identifier the client asked for, in its registered spelling. */
function registeredForm (resource: Application, identifier: string): string {
  const wanted = identifier.toLowerCase()
  return resource.identifierUris.find((uri) => uri.toLowerCase() === wanted) ?? resource.appId
}

function sign (facts: Parameters<typeof accessTokenClaims>[0], deps: IssuerDeps): string {
  const key = deps.keys.signer()
  return signRs256(accessTokenHeader(facts.version, key.kid), accessTokenClaims(facts), key.privateKey)
}
