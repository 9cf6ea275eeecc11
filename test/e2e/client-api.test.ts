import { createServer } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { Agent, request } from 'undici'
import { repoRoot, startService, type RunningService } from '../helpers/start-service.js'

const TENANT = 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161'
const RESOURCE_APP = '63f3823d-1481-4d2c-b93c-c86eec1bd969'
const SCOPE = `api://${RESOURCE_APP}/.default`
const CLIENT = '3f6e7393-8081-49b4-b995-442cc17f830a'
const SECRET = 'demo-only~M8zPLWEytB1yQ-sVisgrtZBge3O-bYwGDcHNwPY7'
const UNPRIVILEGED = '902007c9-2b1b-4fd6-8f74-741dba639ecd'
const UNPRIVILEGED_SECRET = 'demo-only~G57YU5VqEYS5jrrje2mRFGlcguQ4RGCkZIOAEaeq'
const CERTIFICATE = `${repoRoot}services/entra-emulator/demo/client-app.pem`
const RECOVERY_DEADLINE_MS = 20_000

const services: RunningService[] = []
const start = async (name: string, env: Record<string, string>, options?: { waitReady?: boolean }) => {
  const service = await startService(t, name, env, options)
  services.push(service)
  return service
}

const dispatcher = new Agent({ connections: 128, keepAliveTimeout: 10 })
t.teardown(() => dispatcher.close())

async function call (url: string, init: { method?: 'GET' | 'PUT' | 'DELETE', body?: unknown } = {}) {
  const res = await request(url, {
    dispatcher,
    method: init.method ?? 'GET',
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } })
  })
  const text = await res.body.text()
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) }
}

const emulator = await start('entra-emulator', {})
const resource = await start('resource-api', {
  AZURE_AUTHORITY_HOST: emulator.url,
  AZURE_TENANT_ID: TENANT,
  API_AUDIENCES: `${RESOURCE_APP},api://${RESOURCE_APP}`
})
const admin = {
  stats: async () => (await call(`${emulator.url}/_emulator/stats`)).json(),
  resetStats: () => call(`${emulator.url}/_emulator/stats`, { method: 'DELETE' }),
  fault: (token: Record<string, number>) => call(`${emulator.url}/_emulator/faults`, { method: 'PUT', body: { token } }),
  clearFaults: () => call(`${emulator.url}/_emulator/faults`, { method: 'DELETE' })
}
t.afterEach(() => admin.clearFaults())

const clientEnv = (env: Record<string, string> = { AZURE_CLIENT_SECRET: SECRET }) => ({
  AZURE_TENANT_ID: TENANT,
  AZURE_CLIENT_ID: CLIENT,
  AZURE_AUTHORITY_HOST: emulator.url,
  RESOURCE_API_URL: resource.url,
  RESOURCE_API_SCOPE: SCOPE,
  ...env
})

function assertProblem (t: Test, res: Awaited<ReturnType<typeof call>>, status: number, code: string) {
  t.equal(res.status, status)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(res.json(), { status, code, type: `urn:entra-s2s:problem:${code}` })
}

const warm = await start('client-api', clientEnv())

t.test('GET / returns the forecast through the resource API, with safe token facts', async (t) => {
  const res = await call(`${warm.url}/`)
  t.equal(res.status, 200)
  t.match(res.headers['x-request-id'], /^[0-9a-f-]{36}$/)
  const body = res.json()
  t.equal(body.forecast.length, 5)
  t.match(body.forecast[0], { date: String, temperatureC: Number, summary: String })
  t.match(body.caller, { appId: CLIENT, tenantId: TENANT, roles: ['Forecast.Read'], tokenVersion: '2.0' })
  t.match(body.token, { source: 'cache', scope: SCOPE })
  t.ok(Date.parse(body.token.expiresOn) > Date.now() + 50 * 60_000, 'an hour-long token')
  t.same(Object.keys(body).sort(), ['caller', 'forecast', 'token'])
})

t.test('100 concurrent cold GET / make exactly one token request', async (t) => {
  await admin.resetStats()
  // The start-up acquisition stalls at the token endpoint, so all 100 requests arrive while it is in flight.
  await admin.fault({ delayMs: 1500, remaining: 1 })
  const cold = await start('client-api', clientEnv(), { waitReady: false })
  const results = await Promise.all(Array.from({ length: 100 }, () => call(`${cold.url}/`)))
  t.same(results.map((r) => r.status), Array(100).fill(200))
  t.equal(results.filter((r) => r.json().token.source === 'fresh').length, 100, 'every request waited for the same acquisition')
  t.match(await admin.stats(), { tokenRequests: 1, tokensIssued: 1 })
  await cold.stop()
})

t.test('certificate credential end to end', async (t) => {
  const client = await start('client-api', clientEnv({ AZURE_CLIENT_CERTIFICATE_PATH: CERTIFICATE }))
  const res = await call(`${client.url}/`)
  t.equal(res.status, 200)
  t.match(res.json().caller, { appId: CLIENT, roles: ['Forecast.Read'] })
  await client.stop()
})

t.test('the unprivileged client gets 502 downstream_forbidden', async (t) => {
  const client = await start('client-api', clientEnv({ AZURE_CLIENT_ID: UNPRIVILEGED, AZURE_CLIENT_SECRET: UNPRIVILEGED_SECRET }))
  assertProblem(t, await call(`${client.url}/`), 502, 'downstream_forbidden')
  await client.stop()
})

t.test('a wrong secret gives 503 with Retry-After and AADSTS7000215, never the secret', async (t) => {
  const wrong = `${SECRET}-wrong`
  const client = await start('client-api', clientEnv({ AZURE_CLIENT_SECRET: wrong }), { waitReady: false })
  const res = await call(`${client.url}/`)
  assertProblem(t, res, 503, 'identity_provider_refused')
  t.equal(res.json().aadsts, 7000215)
  t.match(res.headers['retry-after'], /^\d+$/)
  t.notMatch(res.text, wrong)
  t.equal((await call(`${client.url}/health/ready`)).status, 503)
  await client.stop()
})

t.test('token endpoint faulted on a cold client: 503 with Retry-After, then recovery once cleared', async (t) => {
  await admin.fault({ status: 503 })
  const client = await start('client-api', clientEnv(), { waitReady: false })
  const refused = await call(`${client.url}/`)
  assertProblem(t, refused, 503, 'identity_provider_unavailable')
  t.equal(refused.json().aadsts, 90033)
  const retryAfter = Number(refused.headers['retry-after'])
  t.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`)
  t.equal((await call(`${client.url}/health/ready`)).status, 503)

  await admin.clearFaults()
  const deadline = Date.now() + RECOVERY_DEADLINE_MS
  let res = await call(`${client.url}/`)
  while (res.status !== 200 && Date.now() < deadline) {
    await sleep(Number(res.headers['retry-after'] ?? 1) * 1000)
    res = await call(`${client.url}/`)
  }
  t.equal(res.status, 200, 'recovers after the fault clears')
  t.equal((await call(`${client.url}/health/ready`)).status, 200)
  await client.stop()
})

t.test('token endpoint faulted on a warm client: still 200 from the held token', async (t) => {
  await admin.resetStats()
  await admin.fault({ status: 503 })
  const res = await call(`${warm.url}/`)
  t.equal(res.status, 200)
  t.equal(res.json().token.source, 'cache')
  t.match(await admin.stats(), { tokenRequests: 0 })
})

t.test('resource API stopped → 502, too slow → 504', async (t) => {
  const own = await start('resource-api', {
    AZURE_AUTHORITY_HOST: emulator.url,
    AZURE_TENANT_ID: TENANT,
    API_AUDIENCES: `${RESOURCE_APP},api://${RESOURCE_APP}`
  })
  const client = await start('client-api', clientEnv({ AZURE_CLIENT_SECRET: SECRET, RESOURCE_API_URL: own.url }))
  t.equal((await call(`${client.url}/`)).status, 200)
  await own.stop()
  assertProblem(t, await call(`${client.url}/`), 502, 'downstream_unreachable')
  await client.stop()

  const stalled = createServer(() => {})
  stalled.listen(0, '127.0.0.1')
  await once(stalled, 'listening')
  t.teardown(() => {
    stalled.closeAllConnections()
    stalled.close()
  })
  const slowUrl = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`
  const impatient = await start('client-api', clientEnv({ AZURE_CLIENT_SECRET: SECRET, RESOURCE_API_URL: slowUrl, RESOURCE_API_TIMEOUT_MS: '500' }))
  assertProblem(t, await call(`${impatient.url}/`), 504, 'downstream_timeout')
  await impatient.stop()
})

t.test('the logs of every process hold no secret, no assertion, no token and no key', async (t) => {
  await warm.stop()
  const log = services.flatMap((service) => service.output).join('\n')
  t.ok(log.length > 0)
  for (const secret of [SECRET, UNPRIVILEGED_SECRET, 'demo-only~']) t.notMatch(log, secret, 'no client secret')
  t.notMatch(log, 'eyJ', 'no JWT (token or client assertion)')
  t.notMatch(log, 'PRIVATE KEY', 'no key material')
})
