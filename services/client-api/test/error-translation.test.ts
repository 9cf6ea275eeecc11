import t from 'tap'
import { ClientAuthError, ClientAuthErrorCodes, ClientConfigurationError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node'
import { problemBody } from '@entra-s2s/shared'
import { CredentialError } from '../src/credential.js'
import { resourceFailureProblem, resourceStatusProblem, tokenUnavailableProblem, translateMsalError } from '../src/error-translation.js'
import { retryAfterMs } from '../src/idp-http.js'
import { TokenUnavailableError } from '../src/token-provider.js'

t.test('MSAL errors are classified by errorCode, errorNo and status', async (t) => {
  const cases: Array<[string, unknown, { code: string, aadsts?: number, reason: string }]> = [
    ['wrong secret (401)', new ServerError('invalid_client', 'c', 'AADSTS7000215: Invalid client secret', undefined, '7000215', 401),
      { code: 'identity_provider_refused', aadsts: 7000215, reason: 'invalid_client' }],
    ['unknown scope (400)', new ServerError('invalid_scope', 'c', 'text', undefined, '1002012', 400),
      { code: 'identity_provider_refused', aadsts: 1002012, reason: 'invalid_scope' }],
    ['outage (503)', new ServerError('temporarily_unavailable', 'c', 'text', undefined, '90033', 503),
      { code: 'identity_provider_unavailable', aadsts: 90033, reason: 'temporarily_unavailable' }],
    ['throttled (429)', new ServerError('throttled', 'c', 'text', undefined, undefined, 429),
      { code: 'identity_provider_unavailable', reason: 'throttled' }],
    ['MSAL client-side throttle (no status)', new ServerError('90033', 'c', 'text'),
      { code: 'identity_provider_unavailable', aadsts: 90033, reason: '90033' }],
    ['network failure', new ClientAuthError(ClientAuthErrorCodes.networkError, 'c', 'ECONNREFUSED'),
      { code: 'identity_provider_unavailable', reason: 'network_error' }],
    ['metadata unreadable', new ClientAuthError(ClientAuthErrorCodes.endpointResolutionError, 'c'),
      { code: 'identity_provider_unavailable', reason: 'endpoints_resolution_error' }],
    ['interaction required', new InteractionRequiredAuthError('interaction_required', 'text'),
      { code: 'identity_provider_refused', reason: 'interaction_required' }],
    ['bad configuration', new ClientConfigurationError('invalid_cloud_discovery_metadata', 'c'),
      { code: 'token_acquisition_failed', reason: 'invalid_cloud_discovery_metadata' }],
    ['federated file gone', new CredentialError('the federated token file cannot be read (ENOENT)'),
      { code: 'credential_unavailable', reason: 'credential_unavailable' }],
    ['anything else', new TypeError('boom'), { code: 'token_acquisition_failed', reason: 'unexpected_error' }]
  ]
  for (const [name, err, expected] of cases) {
    const translated = translateMsalError(err)
    t.match(translated, { ...expected, retryAfterMs: undefined }, name)
    if (expected.aadsts === undefined) t.equal(translated.aadsts, undefined, `${name}: no AADSTS`)
  }
  t.equal(translateMsalError(new ServerError('x', 'c'), 30_000).retryAfterMs, 30_000, 'keeps the Retry-After it is given')
  const once = translateMsalError(new ServerError('invalid_client', 'c', 't', undefined, '7000215', 401))
  t.equal(translateMsalError(once), once, 'an already translated error stays as it is')
})

t.test('no token → 503 problem with Retry-After and the AADSTS code, never upstream text', async (t) => {
  const cause = translateMsalError(new ServerError('invalid_client', 'c', 'AADSTS7000215: Invalid client secret provided', undefined, '7000215', 401))
  const problem = tokenUnavailableProblem(new TokenUnavailableError(cause, 4_200))
  t.equal(problem.status, 503)
  t.same(problem.headers, { 'retry-after': '5' })
  t.same(problemBody(problem), {
    aadsts: 7000215,
    type: 'urn:entra-s2s:problem:identity_provider_refused',
    title: 'Service Unavailable',
    status: 503,
    code: 'identity_provider_refused',
    detail: 'The identity provider refused the token request.'
  })
  const unreachable = tokenUnavailableProblem(new TokenUnavailableError(new ClientAuthError('network_error', 'c'), 10))
  t.same(unreachable.headers, { 'retry-after': '1' }, 'Retry-After is at least one second')
  t.equal(unreachable.code, 'identity_provider_unavailable')
  t.notOk('aadsts' in problemBody(unreachable))
})

t.test('resource failures by undici code and by status', async (t) => {
  for (const code of ['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']) {
    t.match(resourceFailureProblem(Object.assign(new Error('x'), { code })), { status: 504, code: 'downstream_timeout' }, code)
  }
  for (const code of ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'ENOTFOUND', undefined]) {
    t.match(resourceFailureProblem(Object.assign(new Error('x'), { code })), { status: 502, code: 'downstream_unreachable' }, String(code))
  }
  t.match(resourceStatusProblem(401), { status: 502, code: 'downstream_unauthorized' })
  t.match(resourceStatusProblem(403), { status: 502, code: 'downstream_forbidden' })
  t.match(resourceStatusProblem(500), { status: 502, code: 'downstream_error', detail: 'The resource API answered 500.' })
})

t.test('Retry-After is read the way MSAL throttles', async (t) => {
  const now = Date.UTC(2026, 0, 1)
  t.equal(retryAfterMs(503, '7', now), 7_000)
  t.equal(retryAfterMs(429, new Date(now + 12_000).toUTCString(), now), 12_000)
  t.equal(retryAfterMs(503, undefined, now), 60_000, 'a 5xx without Retry-After: MSAL waits 60 s')
  t.equal(retryAfterMs(429, '', now), 60_000)
  t.equal(retryAfterMs(503, '999999', now), 3_600_000, 'capped at an hour')
  t.equal(retryAfterMs(400, undefined, now), undefined, 'a 4xx without Retry-After asks nothing')
  t.equal(retryAfterMs(400, '3', now), 3_000)
  t.equal(retryAfterMs(200, '3', now), undefined)
})
