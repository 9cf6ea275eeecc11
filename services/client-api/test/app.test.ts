import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { TokenAcquisitionError } from '../src/error-translation.js'
import type { TokenAcquirer } from '../src/token-provider.js'
import { SCOPE, SECRET, fakeAcquirer, forecastBody, json, resourceStandIn, testConfig, type Answer } from './stand-ins.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const invalidToken = json(401, { code: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token", error_description="The signature is invalid"' })

async function build (t: Test, resourceUrl: string, acquire: TokenAcquirer, env: NodeJS.ProcessEnv = {}) {
  const app = await buildApp(testConfig(resourceUrl, env), { acquire })
  t.teardown(() => app.close())
  await app.ready()
  return app
}

function assertProblem (t: Test, res: { statusCode: number, headers: Record<string, unknown>, json: () => unknown }, status: number, code: string) {
  t.equal(res.statusCode, status)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(res.json(), { type: `urn:entra-s2s:problem:${code}`, status, code, detail: String })
}

t.test('GET / returns the forecast and safe token facts, and nothing unlisted', async (t) => {
  const resource = await resourceStandIn(t, [json(200, forecastBody)])
  const { acquire, calls } = fakeAcquirer()
  const app = await build(t, resource.url, acquire)

  const first = await app.inject({ url: '/' })
  t.equal(first.statusCode, 200)
  t.match(first.headers['x-request-id'], UUID, 'a request id is generated')
  const body = first.json()
  t.same(body, {
    forecast: [{ date: '2026-01-01', temperatureC: 4, summary: 'Chilly' }],
    caller: forecastBody.caller,
    token: { source: 'cache', expiresOn: body.token.expiresOn, scope: SCOPE }
  }, 'the warm-up at start already acquired the token')
  t.ok(Date.parse(body.token.expiresOn) > Date.now())
  t.notMatch(first.body, /token-1|must-not-leak|dropped/, 'no token and nothing the schema does not list')
  t.same(calls, [{ scope: SCOPE, forceRefresh: false }])

  const second = await app.inject({ url: '/' })
  t.equal(second.json().token.source, 'cache')
  t.equal(calls.length, 1, 'one acquisition for both requests')

  t.equal(resource.requests.length, 2)
  t.equal(resource.requests[0]!.url, '/api/forecast')
  t.equal(resource.requests[0]!.headers.authorization, 'Bearer token-1')
  t.equal(resource.requests[0]!.headers['x-request-id'], first.headers['x-request-id'], 'the request id goes downstream')
  t.equal(resource.requests[0]!.headers.traceparent, undefined)
})

t.test('x-request-id and traceparent are passed through when well formed', async (t) => {
  const resource = await resourceStandIn(t, [json(200, forecastBody)])
  const app = await build(t, resource.url, fakeAcquirer().acquire)
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
  const good = await app.inject({ url: '/', headers: { 'x-request-id': 'req-42.a:b', traceparent } })
  t.equal(good.statusCode, 200)
  t.equal(good.headers['x-request-id'], 'req-42.a:b')
  t.match(resource.requests[0]!.headers, { 'x-request-id': 'req-42.a:b', traceparent })

  const bad = await app.inject({ url: '/', headers: { 'x-request-id': 'has spaces\tand tabs', traceparent: 'garbage' } })
  t.match(bad.headers['x-request-id'], UUID, 'an unsafe request id is replaced')
  t.equal(resource.requests[1]!.headers['x-request-id'], bad.headers['x-request-id'])
  t.equal(resource.requests[1]!.headers.traceparent, undefined, 'a malformed traceparent is dropped')
})

t.test('a 401 invalid_token is retried exactly once, with a forced fresh token', async (t) => {
  const resource = await resourceStandIn(t, [invalidToken, json(200, forecastBody)])
  const { acquire, calls } = fakeAcquirer()
  const app = await build(t, resource.url, acquire)
  const res = await app.inject({ url: '/' })
  t.equal(res.statusCode, 200)
  t.equal(res.json().token.source, 'fresh')
  t.same(calls, [{ scope: SCOPE, forceRefresh: false }, { scope: SCOPE, forceRefresh: true }])
  t.same(resource.requests.map((r) => r.headers.authorization), ['Bearer token-1', 'Bearer token-2'])
})

t.test('a second 401 is not retried again: 502 downstream_unauthorized', async (t) => {
  const resource = await resourceStandIn(t, [invalidToken])
  const { acquire, calls } = fakeAcquirer()
  const app = await build(t, resource.url, acquire)
  const res = await app.inject({ url: '/' })
  assertProblem(t, res, 502, 'downstream_unauthorized')
  t.equal(resource.requests.length, 2)
  t.equal(calls.length, 2)
})

t.test('a 401 without invalid_token and a 403 are not retried', async (t) => {
  for (const [answer, code] of [
    [json(401, {}, { 'www-authenticate': 'Bearer' }), 'downstream_unauthorized'],
    [json(403, {}, { 'www-authenticate': 'Bearer error="insufficient_scope"' }), 'downstream_forbidden'],
    [json(500, { detail: 'stack trace here' }), 'downstream_error']
  ] as const) {
    const resource = await resourceStandIn(t, [answer])
    const { acquire, calls } = fakeAcquirer()
    const app = await build(t, resource.url, acquire)
    const res = await app.inject({ url: '/' })
    assertProblem(t, res, 502, code)
    t.notMatch(res.body, /stack trace/, 'upstream bodies are never echoed')
    t.equal(resource.requests.length, 1, `${code}: one request`)
    t.equal(calls.length, 1, `${code}: no forced refresh`)
  }
})

t.test('a 200 that is not the expected JSON is a 502', async (t) => {
  const notJson: Answer = (_h, res) => { res.writeHead(200, { 'content-type': 'text/html' }).end('<html>') }
  for (const answer of [notJson, json(200, ['no', 'object']), json(200, { forecast: 'nope' })]) {
    const resource = await resourceStandIn(t, [answer])
    const app = await build(t, resource.url, fakeAcquirer().acquire)
    assertProblem(t, await app.inject({ url: '/' }), 502, 'downstream_invalid_response')
  }
})

t.test('resource API unreachable → 502, too slow → 504', async (t) => {
  const closed = await resourceStandIn(t, [json(200, forecastBody)])
  closed.server.close()
  const down = await build(t, closed.url, fakeAcquirer().acquire)
  assertProblem(t, await down.inject({ url: '/' }), 502, 'downstream_unreachable')

  const stalled = await resourceStandIn(t, [() => {}])
  const slow = await build(t, stalled.url, fakeAcquirer().acquire, { RESOURCE_API_TIMEOUT_MS: '150' })
  const res = await slow.inject({ url: '/' })
  assertProblem(t, res, 504, 'downstream_timeout')
  t.match(res.headers['x-request-id'], UUID, 'errors carry the request id too')
})

t.test('no token → 503 with Retry-After and the AADSTS code; health says not ready', async (t) => {
  const resource = await resourceStandIn(t, [json(200, forecastBody)])
  const { acquire, calls } = fakeAcquirer(() => new TokenAcquisitionError('identity_provider_refused', 'invalid_client', 7000215))
  const app = await build(t, resource.url, acquire)
  const res = await app.inject({ url: '/' })
  assertProblem(t, res, 503, 'identity_provider_refused')
  t.equal(res.json().aadsts, 7000215)
  t.match(res.headers['retry-after'], /^[1-9]\d*$/)
  t.notMatch(res.body, SECRET)
  t.equal(calls.length, 1, 'the request met the warm-up failure in its backoff: no second attempt')
  t.equal(resource.requests.length, 0)
  t.equal((await app.inject({ url: '/health/ready' })).statusCode, 503)
  t.equal((await app.inject({ url: '/health/live' })).statusCode, 200)
})

t.test('ready once a token is held; unknown routes are problems', async (t) => {
  const resource = await resourceStandIn(t, [json(200, forecastBody)])
  const app = await build(t, resource.url, fakeAcquirer().acquire)
  await new Promise((resolve) => setImmediate(resolve))
  const ready = await app.inject({ url: '/health/ready' })
  t.equal(ready.statusCode, 200)
  t.same(ready.json(), { status: 'ready' })
  assertProblem(t, await app.inject({ url: '/nope' }), 404, 'not_found')
})

t.test('requests arriving during the start-up acquisition wait for it and share it', async (t) => {
  const resource = await resourceStandIn(t, [json(200, forecastBody)])
  let release: () => void = () => {}
  const gate = new Promise<void>((resolve) => { release = resolve })
  const { acquire: issue, calls } = fakeAcquirer()
  const app = await build(t, resource.url, async (scope, options) => {
    await gate
    return issue(scope, options)
  })
  const pending = Array.from({ length: 20 }, () => app.inject({ url: '/' }))
  await new Promise((resolve) => setImmediate(resolve))
  t.equal((await app.inject({ url: '/health/ready' })).statusCode, 503, 'not ready before the first token')
  release()
  const results = await Promise.all(pending)
  t.ok(results.every((r) => r.statusCode === 200 && r.json().token.source === 'fresh'))
  t.equal(calls.length, 1)
  t.equal(resource.requests.length, 20)
})
