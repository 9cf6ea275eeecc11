/** OAuth `error` values the emulator answers with. */
export type OAuthError =
  | 'invalid_request' | 'invalid_client' | 'unauthorized_client' | 'invalid_scope' | 'invalid_resource'
  | 'unsupported_grant_type' | 'invalid_tenant' | 'invalid_instance' | 'temporarily_unavailable' | 'not_found'

/** An Entra-style refusal: HTTP status, OAuth `error`, AADSTS number and its text. */
export class AadstsError extends Error {
  readonly status: number
  readonly error: OAuthError
  readonly code: number
  readonly headers: Readonly<Record<string, string>>

  constructor (status: number, error: OAuthError, code: number, description: string, headers: Record<string, string> = {}) {
    super(description)
    this.name = 'AadstsError'
    this.status = status
    this.error = error
    this.code = code
    this.headers = headers
  }
}

/** Throws `error`; for `lookup() ?? refuse(aadsts.…)`. */
export const refuse = (error: AadstsError): never => { throw error }

const invalidClient = (code: number, text: string) => new AadstsError(401, 'invalid_client', code, text)
const badRequest = (error: OAuthError, code: number, text: string) => new AadstsError(400, error, code, text)

/** The refusals of entra-protocol.md §7, with Entra's texts (shortened where Entra adds links). */
export const aadsts = {
  unknownTenant: (tenant: string, error: OAuthError = 'invalid_request') => badRequest(error, 90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`),
  missingParameter: (name: string) => badRequest('invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  malformed: (status = 400) => new AadstsError(status, 'invalid_request', 9002313, 'Invalid request. Request is malformed or invalid.'),
  unsupportedGrant: (grant: string) => badRequest('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`),
  resourceParameterOnV2: () => badRequest('invalid_request', 901002, "The 'resource' request parameter is not supported."),
  scopeWithoutDefault: (scope: string) => badRequest('invalid_scope', 1002012,
    `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`),
  invalidScope: () => badRequest('invalid_scope', 70011, "The provided value for the input parameter 'scope' is not valid."),
  multipleResources: () => badRequest('invalid_scope', 700022,
    'The provided value for the input parameter scope is not valid because it contains more than one resource. Scope contains more than one resource.'),
  unknownResource: (resource: string, tenant: string) => badRequest('invalid_resource', 500011,
    `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`),
  unknownClient: (appId: string, tenant: string) => badRequest('unauthorized_client', 700016,
    `Application with identifier '${appId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`),
  noCredential: () => invalidClient(7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  wrongSecret: (appId: string) => invalidClient(7000215,
    `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`),
  expiredSecret: (appId: string) => invalidClient(7000222,
    `The provided client secret keys for app '${appId}' are expired. Visit the Azure portal to create new keys for your app, or consider using certificate credentials for added security.`),
  malformedAssertion: () => badRequest('invalid_request', 50027, 'JWT token is invalid or malformed.'),
  certificateNotRegistered: (thumbprint: string) => invalidClient(700027,
    `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}']`),
  badAssertionSignature: () => invalidClient(700027, 'Client assertion failed signature validation.'),
  assertionTime: (now: number, nbf: number, exp: number | undefined) => invalidClient(700024,
    `Client assertion is not within its valid time range. Current time: ${isoSeconds(now)}, assertion valid from ${isoSeconds(nbf * 1000)}, expiry time of assertion ${exp === undefined ? 'none' : isoSeconds(exp * 1000)}.`),
  assertionAudience: () => invalidClient(50012, 'Client assertion audience claim does not match Realm issuer.'),
  issuerNotSubject: () => invalidClient(50048, 'Subject mismatches Issuer claim in the client assertion.'),
  assertionClientMismatch: () => invalidClient(700021, "Client assertion application identifier doesn't match 'client_id' parameter."),
  unknownInstance: () => badRequest('invalid_instance', 50049, 'Unknown or invalid instance.'),
  notFound: () => new AadstsError(404, 'not_found', 9002313, 'Invalid request. Request is malformed or invalid.'),
  postOnly: (method: string) => badRequest('invalid_request', 900561, `The endpoint only accepts POST, OPTIONS requests. Received a ${method} request.`),
  injected: (status: number, retryAfterS: number) => new AadstsError(status, status === 429 || status >= 500 ? 'temporarily_unavailable' : 'invalid_request',
    90033, 'A transient error has occurred. Please try again.', status === 429 || status >= 500 ? { 'retry-after': String(retryAfterS) } : {})
} as const

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
