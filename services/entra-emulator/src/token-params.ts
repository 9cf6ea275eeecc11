import { aadsts } from './aadsts-error.js'
import { JWT_BEARER, type PresentedCredential } from './credentials.js'

/** Form parameters of a token request, each present at most once. */
export type TokenParams = ReadonlyMap<string, string>

/** The parsed form body; a repeated parameter makes the request malformed. No form body means no parameters. */
export function tokenParams (body: unknown): TokenParams {
  if (body === undefined || body === null) return new Map()
  const params = new Map<string, string>()
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value !== 'string') throw aadsts.malformed()
    params.set(name, value)
  }
  return params
}

/** The value of a required parameter (AADSTS900144 when missing or empty). */
export function required (params: TokenParams, name: string): string {
  const value = params.get(name)?.trim()
  if (!value) throw aadsts.missingParameter(name)
  return value
}

/** The client id and credential, from the form (client_secret_post, private_key_jwt) or HTTP Basic (client_secret_basic). */
export function clientCredential (params: TokenParams, authorization: string | undefined): { clientId: string, credential: PresentedCredential } {
  const basic = parseBasic(authorization)
  const formId = params.get('client_id')?.trim()
  if (basic && formId && basic.clientId !== formId) throw aadsts.malformed()
  const clientId = basic?.clientId ?? formId
  if (!clientId) throw aadsts.missingParameter('client_id')
  const secret = params.get('client_secret') ?? basic?.secret
  const assertion = params.get('client_assertion')
  if (secret !== undefined && assertion !== undefined) throw aadsts.malformed()
  if (assertion !== undefined) {
    if (params.get('client_assertion_type') !== JWT_BEARER) throw aadsts.missingParameter('client_assertion_type')
    return { clientId, credential: { kind: 'assertion', assertion } }
  }
  return { clientId, credential: secret ? { kind: 'secret', secret } : { kind: 'none' } }
}

function parseBasic (authorization: string | undefined): { clientId: string, secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '')
  if (!match?.[1]) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 1) throw aadsts.malformed()
  // RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
  const unescape = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '))
  try {
    return { clientId: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) }
  } catch {
    throw aadsts.malformed()
  }
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email'])

/** The one resource a v2 `scope` names: `{resource}/.default`, OIDC scopes ignored (AADSTS1002012, 700022, 70011). */
export function resourceFromScope (scope: string): string {
  const scopes = scope.split(' ').filter((s) => s !== '' && !OIDC_SCOPES.has(s.toLowerCase()))
  if (scopes.length === 0) throw aadsts.invalidScope()
  const resources = new Set(scopes.map((s) => {
    if (!s.endsWith('/.default')) throw aadsts.scopeWithoutDefault(s)
    return s.slice(0, -'/.default'.length)
  }))
  if (resources.size > 1) throw aadsts.multipleResources()
  const [resource] = resources
  if (!resource) throw aadsts.invalidScope()
  return resource
}
