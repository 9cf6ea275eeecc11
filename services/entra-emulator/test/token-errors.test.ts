import t, { type Test } from 'tap'
import { daemon, resourceApp, resourceScope, secretForm, startEmulator, tenantA, tenantB, unprivileged, type Answer } from './helpers.js'

const v2 = `/${tenantA}/oauth2/v2.0/token`
const v1 = `/${tenantA}/oauth2/token`
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const emulator = await startEmulator(t)

function assertRefusal (t: Test, answer: Answer, status: number, error: string, code: number): void {
  t.equal(answer.status, status, `status ${status}`)
  t.equal(answer.body['error'], error, `error ${error}`)
  t.same(answer.body['error_codes'], [code], `error_codes [${code}]`)
  t.match(answer.body['error_description'], new RegExp(`^AADSTS${code}: .+\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: [0-9a-f-]{36}\\r\\nTimestamp: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`))
  t.match(answer.body['trace_id'], GUID)
  t.match(answer.body['correlation_id'], GUID)
  t.match(answer.body['timestamp'], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/)
  t.match(answer.headers['content-type'], /^application\/json/)
  t.notOk(answer.body['access_token'], 'no token')
}

const cases: Array<{ name: string, path?: string, form: Record<string, string>, status: number, error: string, code: number }> = [
  { name: 'wrong secret', form: secretForm(daemon.appId, 'not-the-secret'), status: 401, error: 'invalid_client', code: 7000215 },
  { name: 'expired secret', form: secretForm(daemon.appId, daemon.expired), status: 401, error: 'invalid_client', code: 7000222 },
  { name: 'unknown client', form: secretForm('11111111-2222-3333-4444-555555555555', 'x'), status: 400, error: 'unauthorized_client', code: 700016 },
  { name: 'client of another tenant', path: `/${tenantB}/oauth2/v2.0/token`, form: secretForm(daemon.appId, daemon.secret), status: 400, error: 'unauthorized_client', code: 700016 },
  { name: 'scope without /.default', form: secretForm(daemon.appId, daemon.secret, `api://${resourceApp}/Forecast.Read`), status: 400, error: 'invalid_scope', code: 1002012 },
  { name: 'two resources', form: secretForm(daemon.appId, daemon.secret, `${resourceScope} https://graph.microsoft.com/.default`), status: 400, error: 'invalid_scope', code: 700022 },
  { name: 'only OIDC scopes', form: secretForm(daemon.appId, daemon.secret, 'openid profile'), status: 400, error: 'invalid_scope', code: 70011 },
  { name: 'unknown resource', form: secretForm(daemon.appId, daemon.secret, 'api://nothing-here/.default'), status: 400, error: 'invalid_resource', code: 500011 },
  { name: 'unknown tenant', path: '/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token', form: secretForm(daemon.appId, daemon.secret), status: 400, error: 'invalid_request', code: 90002 },
  { name: 'missing grant_type', form: { client_id: daemon.appId, client_secret: daemon.secret, scope: resourceScope }, status: 400, error: 'invalid_request', code: 900144 },
  { name: 'unsupported grant_type', form: { ...secretForm(daemon.appId, daemon.secret), grant_type: 'password' }, status: 400, error: 'unsupported_grant_type', code: 70003 },
  { name: 'grant_type named like an Object member', form: { ...secretForm(daemon.appId, daemon.secret), grant_type: 'constructor' }, status: 400, error: 'unsupported_grant_type', code: 70003 },
  { name: 'no credential', form: { grant_type: 'client_credentials', client_id: daemon.appId, scope: resourceScope }, status: 401, error: 'invalid_client', code: 7000218 },
  { name: 'missing client_id', form: { grant_type: 'client_credentials', client_secret: 'x', scope: resourceScope }, status: 400, error: 'invalid_request', code: 900144 },
  { name: 'missing scope', form: { grant_type: 'client_credentials', client_id: daemon.appId, client_secret: daemon.secret }, status: 400, error: 'invalid_request', code: 900144 },
  { name: 'resource parameter on v2', form: { ...secretForm(daemon.appId, daemon.secret), resource: resourceApp }, status: 400, error: 'invalid_request', code: 901002 },
  { name: 'v1 without resource', path: v1, form: { grant_type: 'client_credentials', client_id: daemon.appId, client_secret: daemon.secret }, status: 400, error: 'invalid_request', code: 900144 },
  { name: 'v1 wrong secret', path: v1, form: { grant_type: 'client_credentials', client_id: daemon.appId, client_secret: 'nope', resource: resourceApp }, status: 401, error: 'invalid_client', code: 7000215 }
]

for (const c of cases) {
  t.test(c.name, async (t) => assertRefusal(t, await emulator.post(c.path ?? v2, c.form), c.status, c.error, c.code))
}

t.test('correlation_id echoes a client-request-id (header, then query), and a bad one is not echoed', async (t) => {
  const id = '5a2d7c4e-1f3b-4c6d-8e9f-0a1b2c3d4e5f'
  const byHeader = await emulator.post(v2, secretForm(daemon.appId, 'x'), { 'client-request-id': id })
  t.equal(byHeader.body['correlation_id'], id)
  t.match(byHeader.body['error_description'], `Correlation ID: ${id}`)
  const byQuery = await emulator.post(`${v2}?client-request-id=${id}`, secretForm(daemon.appId, 'x'))
  t.equal(byQuery.body['correlation_id'], id)
  const bogus = await emulator.post(v2, secretForm(daemon.appId, 'x'), { 'client-request-id': '<script>' })
  t.not(bogus.body['correlation_id'], '<script>')
  t.match(bogus.body['correlation_id'], GUID)
})

t.test('bad input gets the AADSTS shape, never a 500 or a stack', async (t) => {
  const json = await emulator.post(v2, JSON.stringify(secretForm(daemon.appId, daemon.secret)), { 'content-type': 'application/json' })
  assertRefusal(t, json, 400, 'invalid_request', 900144)
  const text = await emulator.post(v2, 'grant_type=client_credentials', { 'content-type': 'text/plain' })
  assertRefusal(t, text, 400, 'invalid_request', 900144)
  const repeated = await emulator.post(v2, `${new URLSearchParams(secretForm(daemon.appId, daemon.secret))}&scope=${encodeURIComponent(resourceScope)}`)
  assertRefusal(t, repeated, 400, 'invalid_request', 9002313)
  const huge = await emulator.post(v2, `${new URLSearchParams(secretForm(daemon.appId, daemon.secret))}&pad=${'a'.repeat(70 * 1024)}`)
  assertRefusal(t, huge, 413, 'invalid_request', 9002313)
  const hugeJson = await emulator.post(v2, JSON.stringify({ pad: 'a'.repeat(70 * 1024) }), { 'content-type': 'application/json' })
  assertRefusal(t, hugeJson, 413, 'invalid_request', 9002313)
  const get = await emulator.get(v2)
  assertRefusal(t, get, 400, 'invalid_request', 900561)
  const unknownPath = await emulator.get('/no/such/path')
  assertRefusal(t, unknownPath, 404, 'not_found', 9002313)
  const badBasic = await emulator.post(v2, { grant_type: 'client_credentials', scope: resourceScope }, { authorization: 'Basic bm9jb2xvbg==' })
  assertRefusal(t, badBasic, 400, 'invalid_request', 9002313)
  const secretAndAssertion = await emulator.post(v2, { ...secretForm(daemon.appId, daemon.secret), client_assertion: 'a.b.c', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' })
  assertRefusal(t, secretAndAssertion, 400, 'invalid_request', 9002313)
  for (const answer of [json, text, repeated, huge, get, unknownPath]) t.notMatch(JSON.stringify(answer.body), /at .*\.(ts|js):\d+/, 'no stack trace')
})

t.test('unknown tenant on metadata and keys is invalid_tenant 90002', async (t) => {
  for (const path of ['/nope/v2.0/.well-known/openid-configuration', '/nope/.well-known/openid-configuration', '/nope/discovery/v2.0/keys']) {
    assertRefusal(t, await emulator.get(path), 400, 'invalid_tenant', 90002)
  }
})

t.test('the unprivileged client gets a token without roles; a disabled role is never issued', async (t) => {
  const answer = await emulator.post(v2, secretForm(unprivileged.appId, unprivileged.secret))
  t.equal(answer.status, 200)
  const claims = JSON.parse(Buffer.from(String(answer.body['access_token']).split('.')[1] ?? '', 'base64url').toString())
  t.notOk('roles' in claims, 'no roles claim')
  t.equal(claims.azp, unprivileged.appId)
})

t.test('an unexpected failure is a bare 500 in the AADSTS shape: no message, no stack', async (t) => {
  const broken = await startEmulator(t, {}, { random: () => { throw new Error('internal detail at token.ts:42') } })
  const answer = await broken.post(v2, secretForm(daemon.appId, daemon.secret))
  t.equal(answer.status, 500)
  t.equal(answer.body['error'], 'temporarily_unavailable')
  t.same(answer.body['error_codes'], [90033])
  t.notMatch(JSON.stringify(answer.body), /internal detail|token\.ts/)
})
