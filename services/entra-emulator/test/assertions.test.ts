import { generateKeyPairSync } from 'node:crypto'
import t, { type Test } from 'tap'
import { decodeJwt } from '../src/jwt.js'
import { assertionForm, daemon, makeAssertion, startEmulator, tenantA } from './helpers.js'

const emulator = await startEmulator(t)
const v2 = `/${tenantA}/oauth2/v2.0/token`
const aud = `${emulator.url}/${tenantA}/oauth2/v2.0/token`
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey

const refused = async (t: Test, form: Record<string, string>, status: number, error: string, code: number, path = v2) => {
  const answer = await emulator.post(path, form)
  t.equal(answer.status, status, 'status')
  t.equal(answer.body['error'], error, 'error')
  t.same(answer.body['error_codes'], [code])
}

t.test('RS256 + x5t and PS256 + x5t#S256 are both accepted, with appidacr/azpacr 2', async (t) => {
  for (const alg of ['RS256', 'PS256'] as const) {
    const answer = await emulator.post(v2, assertionForm(makeAssertion({ aud, alg })))
    t.equal(answer.status, 200, alg)
    const claims = decodeJwt(String(answer.body['access_token']))?.payload
    t.equal(claims?.['azpacr'], '2', `${alg}: azpacr 2 (certificate)`)
    t.same(claims?.['roles'], ['Forecast.Read'])
  }
})

t.test('a reused assertion (same jti) is accepted, as MSAL reuses it for 10 minutes', async (t) => {
  const assertion = makeAssertion({ aud })
  t.equal((await emulator.post(v2, assertionForm(assertion))).status, 200)
  t.equal((await emulator.post(v2, assertionForm(assertion))).status, 200)
})

t.test('the v1 token endpoint URL is an accepted audience too', async (t) => {
  const answer = await emulator.post(`/${tenantA}/oauth2/token`, { ...assertionForm(makeAssertion({ aud: `${emulator.url}/${tenantA}/oauth2/token` })), resource: 'https://legacy.contoso.test' })
  t.equal(answer.status, 200)
  t.equal(answer.body['resource'], 'https://legacy.contoso.test')
})

t.test('certificate not registered: 700027', (t) => refused(t, assertionForm(makeAssertion({ aud, header: { x5t: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA' } })), 401, 'invalid_client', 700027))
t.test('no thumbprint at all: 700027', (t) => refused(t, assertionForm(makeAssertion({ aud, header: { x5t: undefined } })), 401, 'invalid_client', 700027))
t.test('bad signature: 700027', (t) => refused(t, assertionForm(makeAssertion({ aud, key: otherKey })), 401, 'invalid_client', 700027))
t.test('PS256 with a bad signature: 700027', (t) => refused(t, assertionForm(makeAssertion({ aud, alg: 'PS256', key: otherKey })), 401, 'invalid_client', 700027))
t.test('alg none: 700027', async (t) => {
  const [header, payload] = makeAssertion({ aud }).split('.')
  const none = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(header ?? '', 'base64url').toString()), alg: 'none' })).toString('base64url')
  await refused(t, assertionForm(`${none}.${payload}.`), 401, 'invalid_client', 700027)
})
t.test('expired: 700024', (t) => refused(t, assertionForm(makeAssertion({ aud, nowS: Math.floor(Date.now() / 1000) - 3600 })), 401, 'invalid_client', 700024))
t.test('not yet valid: 700024', (t) => refused(t, assertionForm(makeAssertion({ aud, nowS: Math.floor(Date.now() / 1000) + 3600 })), 401, 'invalid_client', 700024))
t.test('no exp: 700024', (t) => refused(t, assertionForm(makeAssertion({ aud, claims: { exp: undefined } })), 401, 'invalid_client', 700024))
t.test('wrong audience: 50012', (t) => refused(t, assertionForm(makeAssertion({ aud: 'https://login.microsoftonline.com/x/oauth2/v2.0/token' })), 401, 'invalid_client', 50012))
t.test('another tenant\'s endpoint as audience: 50012', (t) => refused(t, assertionForm(makeAssertion({ aud: `${emulator.url}/003cf140-8084-4438-844f-cbd58e5a6d98/oauth2/v2.0/token` })), 401, 'invalid_client', 50012))
t.test('array audience: 50012', (t) => refused(t, assertionForm(makeAssertion({ aud, claims: { aud: [aud] } })), 401, 'invalid_client', 50012))
t.test('iss differs from sub: 50048', (t) => refused(t, assertionForm(makeAssertion({ aud, claims: { iss: 'someone-else' } })), 401, 'invalid_client', 50048))
t.test('sub is another client: 700021', (t) => refused(t, assertionForm(makeAssertion({ aud, claims: { iss: daemon.appId.replace('3f', '4f'), sub: daemon.appId.replace('3f', '4f') } })), 401, 'invalid_client', 700021))
t.test('not a JWT: 50027', (t) => refused(t, assertionForm('not-a-jwt'), 400, 'invalid_request', 50027))
t.test('wrong client_assertion_type: 900144', (t) => refused(t, { ...assertionForm(makeAssertion({ aud })), client_assertion_type: 'urn:nope' }, 400, 'invalid_request', 900144))
