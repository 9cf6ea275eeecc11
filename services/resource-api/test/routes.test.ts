import t from 'tap'
import { bearer, build } from './helpers/build.js'
import { CLIENT_ID, T0, TENANT_A, createMockEntra, createTestKey, mint, v2Claims } from './helpers/mock-entra.js'

const key = createTestKey('key-1')
const writer = () => mint(key, v2Claims(T0, TENANT_A, { roles: ['Forecast.Read', 'Forecast.Write'] }))
const entry = { date: '2026-12-24', temperatureC: -4, summary: 'Snow' }

t.test('GET /api/forecast: the sample data and the caller, nothing else', async (t) => {
  const { app } = await build(t, createMockEntra([key]))
  const res = await app.inject({ url: '/api/forecast', headers: bearer(mint(key, v2Claims(T0, TENANT_A, { extra: 'claim' }))) })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.same(Object.keys(body), ['forecast', 'caller'])
  t.same(body.forecast[0], { date: '2026-12-01', temperatureC: -2, summary: 'Crisp' })
  t.same(Object.keys(body.caller), ['appId', 'tenantId', 'objectId', 'roles', 'tokenVersion'])
})

t.test('POST /api/forecast: Forecast.Write, validated body, 201 echoing the entry', async (t) => {
  const { app } = await build(t, createMockEntra([key]))
  const created = await app.inject({ method: 'POST', url: '/api/forecast', headers: bearer(writer()), payload: entry })
  t.equal(created.statusCode, 201)
  t.same(created.json().forecast, entry)
  t.equal(created.json().caller.appId, CLIENT_ID)

  const reader = await app.inject({ method: 'POST', url: '/api/forecast', headers: bearer(mint(key, v2Claims())), payload: entry })
  t.equal(reader.statusCode, 403)
  t.match(reader.headers['www-authenticate'], /scope="Forecast\.Write"$/)

  const invalid = await app.inject({ method: 'POST', url: '/api/forecast', headers: bearer(writer()), payload: { ...entry, temperatureC: 99 } })
  t.equal(invalid.statusCode, 400)
  t.equal(invalid.json().code, 'invalid_request')
  t.equal(invalid.headers['content-type'], 'application/problem+json; charset=utf-8')

  const missing = await app.inject({ method: 'POST', url: '/api/forecast', headers: bearer(writer()), payload: { date: '2026-12-24' } })
  t.equal(missing.statusCode, 400)

  const badDate = await app.inject({ method: 'POST', url: '/api/forecast', headers: bearer(writer()), payload: { ...entry, date: 'tomorrow' } })
  t.equal(badDate.statusCode, 400)

  const text = await app.inject({ method: 'POST', url: '/api/forecast', headers: { ...bearer(writer()), 'content-type': 'application/xml' }, payload: '<a/>' })
  t.equal(text.statusCode, 415)

  const large = await app.inject({ method: 'POST', url: '/api/forecast', headers: bearer(writer()), payload: { ...entry, summary: 'x'.repeat(2000) } })
  t.equal(large.statusCode, 413)
})

t.test('POST without a token is refused before the body is read', async (t) => {
  const { app } = await build(t, createMockEntra([key]))
  const res = await app.inject({ method: 'POST', url: '/api/forecast', headers: { 'content-type': 'application/json' }, payload: '{not json' })
  t.equal(res.statusCode, 401)
  t.equal(res.json().code, 'missing_token')
})

t.test('the automatic HEAD route is guarded too', async (t) => {
  const { app } = await build(t, createMockEntra([key]))
  t.equal((await app.inject({ method: 'HEAD', url: '/api/forecast' })).statusCode, 401)
  t.equal((await app.inject({ method: 'HEAD', url: '/api/forecast', headers: bearer(mint(key, v2Claims())) })).statusCode, 200)
})

t.test('health probes and unknown routes', async (t) => {
  const { app } = await build(t, createMockEntra([key]))
  t.same((await app.inject({ url: '/health/live' })).json(), { status: 'live' })
  t.same((await app.inject({ url: '/health/ready' })).json(), { status: 'ready' })
  const missing = await app.inject({ url: '/api/nothing' })
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().code, 'not_found')
})

t.test('successful requests log nothing at info; debug has one line per fresh verification', async (t) => {
  const { app, logs } = await build(t, createMockEntra([key]))
  const token = mint(key, v2Claims())
  await app.inject({ url: '/api/forecast', headers: bearer(token) })
  await app.inject({ url: '/api/forecast', headers: bearer(token) })
  t.same(logs.filter((line) => line['reqId'] !== undefined), [])

  const { app: verbose, logs: debugLogs } = await build(t, createMockEntra([key]), { config: { logLevel: 'debug' } })
  await verbose.inject({ url: '/api/forecast', headers: bearer(token) })
  await verbose.inject({ url: '/api/forecast', headers: bearer(token) })
  const verified = debugLogs.filter((line) => line['msg'] === 'token verified')
  t.equal(verified.length, 1, 'the cache hit is silent')
  t.match(verified[0], { level: 20, appid: CLIENT_ID, tid: TENANT_A })
  t.notOk(JSON.stringify(debugLogs).includes(token.split('.')[2] ?? ''), 'no token in debug logs')
})
