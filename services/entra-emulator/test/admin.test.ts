import { ConfidentialClientApplication } from '@azure/msal-node'
import t from 'tap'
import { request } from 'undici'
import { daemon, resourceApp, resourceScope, secretForm, startEmulator, tenantA, verifyWithJwks } from './helpers.js'

const v2 = `/${tenantA}/oauth2/v2.0/token`
const keys = `/${tenantA}/discovery/v2.0/keys`

t.test('rotation: the new key signs, the previous one stays published, both verify', async (t) => {
  const emulator = await startEmulator(t)
  const expected = { iss: `${emulator.url}/${tenantA}/v2.0`, aud: resourceApp }
  const before = await emulator.post(v2, secretForm(daemon.appId, daemon.secret))
  const oldKid = ((await emulator.get(keys)).body['keys'] as Array<{ kid: string }>)[0]!.kid
  const rotated = await emulator.post('/_emulator/keys/rotate', '', { 'content-type': 'text/plain' })
  t.equal(rotated.status, 200)
  const newKid = rotated.body['kid']
  t.type(newKid, 'string')
  t.not(newKid, oldKid)
  const published = ((await emulator.get(keys)).body['keys'] as Array<{ kid: string }>).map((k) => k.kid)
  t.same(published, [newKid, oldKid], 'new key first, previous kept')
  const after = await emulator.post(v2, secretForm(daemon.appId, daemon.secret))
  const kidOf = (token: unknown) => JSON.parse(Buffer.from(String(token).split('.')[0]!, 'base64url').toString()).kid
  t.equal(kidOf(after.body['access_token']), newKid, 'new tokens use the new key')
  t.equal(kidOf(before.body['access_token']), oldKid)
  await verifyWithJwks(emulator, String(before.body['access_token']), keys, expected)
  await verifyWithJwks(emulator, String(after.body['access_token']), keys, expected)
})

t.test('JWKS entries look like Entra\'s: no alg, kid = x5t, x5c; issuer template only in v2', async (t) => {
  const emulator = await startEmulator(t)
  const [v2Key] = (await emulator.get(keys)).body['keys'] as Array<Record<string, unknown>>
  t.same(Object.keys(v2Key!).sort(), ['e', 'issuer', 'kid', 'kty', 'n', 'use', 'x5c', 'x5t'])
  t.equal(v2Key!['kid'], v2Key!['x5t'])
  t.equal(v2Key!['issuer'], `${emulator.url}/{tenantid}/v2.0`)
  t.equal(v2Key!['e'], 'AQAB')
  const [v1Key] = (await emulator.get('/common/discovery/keys')).body['keys'] as Array<Record<string, unknown>>
  t.notOk('issuer' in v1Key!)
  t.notOk('alg' in v1Key!)
})

t.test('counters: token requests (refused ones too), tokens issued, JWKS and metadata; DELETE resets', async (t) => {
  const emulator = await startEmulator(t)
  await emulator.get(`/${tenantA}/v2.0/.well-known/openid-configuration`)
  await emulator.get(`/${tenantA}/.well-known/openid-configuration`)
  await emulator.get(keys)
  await emulator.post(v2, secretForm(daemon.appId, daemon.secret))
  await emulator.post(v2, secretForm(daemon.appId, 'wrong'))
  await emulator.post(v2, `${'a='.repeat(40_000)}`)
  const stats = await emulator.get('/_emulator/stats')
  t.equal(stats.status, 200)
  t.same(stats.body, { tokenRequests: 3, tokensIssued: 1, jwksRequests: 1, metadataRequests: 2 })
  const reset = await request(`${emulator.url}/_emulator/stats`, { method: 'DELETE', dispatcher: emulator.dispatcher })
  t.equal(reset.statusCode, 204)
  await reset.body.dump()
  t.same((await emulator.get('/_emulator/stats')).body, { tokenRequests: 0, tokensIssued: 0, jwksRequests: 0, metadataRequests: 0 })
})

const putFaults = async (emulator: Awaited<ReturnType<typeof startEmulator>>, body: unknown) => {
  const res = await request(`${emulator.url}/_emulator/faults`, { method: 'PUT', dispatcher: emulator.dispatcher, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.statusCode, body: await res.body.json() as Record<string, unknown> }
}

t.test('token fault: status with Retry-After for `remaining` requests, then normal service', async (t) => {
  const emulator = await startEmulator(t)
  const set = await putFaults(emulator, { token: { status: 503, remaining: 2, retryAfterS: 2 } })
  t.equal(set.status, 200)
  t.same(set.body, { token: { status: 503, remaining: 2, retryAfterS: 2 } })
  for (let i = 0; i < 2; i++) {
    const failed = await emulator.post(v2, secretForm(daemon.appId, daemon.secret))
    t.equal(failed.status, 503)
    t.equal(failed.headers['retry-after'], '2')
    t.equal(failed.body['error'], 'temporarily_unavailable')
    t.same(failed.body['error_codes'], [90033])
  }
  t.equal((await emulator.post(v2, secretForm(daemon.appId, daemon.secret))).status, 200, 'fault used up')
  t.same((await emulator.get('/_emulator/faults')).body, {})
  t.same((await emulator.get('/_emulator/stats')).body, { tokenRequests: 3, tokensIssued: 1, jwksRequests: 0, metadataRequests: 0 })
})

t.test('token 429 reaches MSAL as a throttling ServerError; JWKS fault until cleared', async (t) => {
  const emulator = await startEmulator(t)
  await putFaults(emulator, { token: { status: 429 }, jwks: { status: 500 } })
  const app = new ConfidentialClientApplication({ auth: { clientId: daemon.appId, clientSecret: daemon.secret, authority: `${emulator.url}/${tenantA}`, knownAuthorities: [new URL(emulator.url).host] } })
  const err = await app.acquireTokenByClientCredential({ scopes: [resourceScope] }).then(() => undefined, (e: { errorCode?: string, status?: number }) => e)
  t.equal(err?.status, 429)
  t.equal(err?.errorCode, 'temporarily_unavailable')
  for (let i = 0; i < 3; i++) {
    const jwks = await emulator.get(keys)
    t.equal(jwks.status, 500)
    t.equal(jwks.headers['retry-after'], '1', 'default Retry-After')
  }
  const cleared = await request(`${emulator.url}/_emulator/faults`, { method: 'DELETE', dispatcher: emulator.dispatcher })
  t.equal(cleared.statusCode, 204)
  await cleared.body.dump()
  t.equal((await emulator.get(keys)).status, 200)
  t.equal((await emulator.get('/_emulator/stats')).body['jwksRequests'], 4)
})

t.test('delay: a stalled request does not block others and ends when the app closes', async (t) => {
  const emulator = await startEmulator(t)
  await putFaults(emulator, { jwks: { delayMs: 600_000 } })
  const stalled = emulator.get(keys)
  t.equal((await emulator.get('/health/live')).status, 200, 'event loop free while a request stalls')
  t.equal((await emulator.post(v2, secretForm(daemon.appId, daemon.secret))).status, 200, 'token endpoint unaffected')
  await emulator.app.close()
  const answer = await stalled
  t.equal(answer.status, 503)
  t.equal(answer.headers['retry-after'], '1')
})

t.test('delay without status: served normally after the delay', async (t) => {
  const emulator = await startEmulator(t)
  await putFaults(emulator, { token: { delayMs: 20, remaining: 1 } })
  t.equal((await emulator.post(v2, secretForm(daemon.appId, daemon.secret))).status, 200)
})

t.test('invalid fault settings are refused in the AADSTS shape', async (t) => {
  const emulator = await startEmulator(t)
  for (const body of [{ token: { status: 200 } }, { other: {} }, { jwks: { remaining: 0 } }]) {
    const answer = await putFaults(emulator, body)
    t.equal(answer.status, 400)
    t.equal(answer.body['error'], 'invalid_request')
  }
})

t.test('EMULATOR_ADMIN=false: no admin routes', async (t) => {
  const emulator = await startEmulator(t, { EMULATOR_ADMIN: 'false' })
  t.equal((await emulator.get('/_emulator/stats')).status, 404)
  t.equal((await emulator.post('/_emulator/keys/rotate', '')).status, 404)
  t.equal((await emulator.post(v2, secretForm(daemon.appId, daemon.secret))).status, 200)
})
