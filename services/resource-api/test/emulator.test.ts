import { generateKeyPairSync, randomUUID } from 'node:crypto'
import t, { type Test as Tap } from 'tap'
import { ConfidentialClientApplication } from '@azure/msal-node'
import { Agent, request } from 'undici'
import { startService, type RunningService } from '../../../test/helpers/start-service.js'
import { signToken } from './helpers/mock-entra.js'

const TENANT_A = 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161'
const TENANT_B = '003cf140-8084-4438-844f-cbd58e5a6d98'
const RESOURCE = '63f3823d-1481-4d2c-b93c-c86eec1bd969'
const SCOPE = `api://${RESOURCE}/.default`
const clients = {
  privileged: { tenant: TENANT_A, clientId: '3f6e7393-8081-49b4-b995-442cc17f830a', clientSecret: 'demo-only~M8zPLWEytB1yQ-sVisgrtZBge3O-bYwGDcHNwPY7' },
  unprivileged: { tenant: TENANT_A, clientId: '902007c9-2b1b-4fd6-8f74-741dba639ecd', clientSecret: 'demo-only~G57YU5VqEYS5jrrje2mRFGlcguQ4RGCkZIOAEaeq' },
  tenantB: { tenant: TENANT_B, clientId: '62fd36d3-dcb6-43c4-95f6-948be4451fcf', clientSecret: 'demo-only~idZQjGBeNqx-tc7EC20uA4MkbVBclIHMSQsvC91Z' }
}

const dispatcher = new Agent({ keepAliveTimeout: 10 })
t.teardown(() => dispatcher.close())

/** A token from a fresh MSAL instance (an empty cache, so a new token every time). */
async function tokenFor (emulator: RunningService, client: typeof clients.privileged): Promise<string> {
  const msal = new ConfidentialClientApplication({
    auth: {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      authority: `${emulator.url}/${client.tenant}`,
      knownAuthorities: [new URL(emulator.url).host]
    }
  })
  const result = await msal.acquireTokenByClientCredential({ scopes: [SCOPE] })
  if (!result?.accessToken) throw new Error('no token')
  return result.accessToken
}

async function call (api: RunningService, path: string, token: string, init: { method?: 'GET' | 'POST', body?: unknown } = {}) {
  const res = await request(`${api.url}${path}`, {
    dispatcher,
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    body: init.body ? JSON.stringify(init.body) : null
  })
  return { status: res.statusCode, headers: res.headers, body: await res.body.json() as Record<string, unknown> }
}

async function admin (emulator: RunningService, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) {
  const res = await request(`${emulator.url}/_emulator/${path}`, {
    dispatcher, method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : null
  })
  return res.statusCode === 204 ? (await res.body.dump(), {}) : await res.body.json() as Record<string, number | string>
}

const startApi = (test: Tap, emulator: RunningService) => startService(test, 'resource-api', {
  AZURE_TENANT_ID: TENANT_A,
  AZURE_AUTHORITY_HOST: emulator.url,
  API_AUDIENCES: `api://${RESOURCE},${RESOURCE}`
})

/** The first log line of `service` matching `predicate`, waiting for it to arrive through the pipe (at most 5 s). */
async function logLine (service: RunningService, predicate: (entry: Record<string, unknown>) => boolean) {
  for (let waited = 0; waited < 5000; waited += 20) {
    const found = service.output.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>).find(predicate)
    if (found) return found
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return undefined
}

const headerOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>

t.test('against the real emulator over HTTPS', async (t) => {
  const emulator = await startService(t, 'entra-emulator', {})
  const api = await startApi(t, emulator)

  t.test('MSAL tokens pass: privileged reads, cannot write', async (t) => {
    const token = await tokenFor(emulator, clients.privileged)
    const read = await call(api, '/api/forecast', token)
    t.equal(read.status, 200)
    t.match(read.body, { caller: { appId: clients.privileged.clientId, tenantId: TENANT_A, roles: ['Forecast.Read'], tokenVersion: '2.0' } })
    const write = await call(api, '/api/forecast', token, { method: 'POST', body: { date: '2026-12-24', temperatureC: -1, summary: 'Snow' } })
    t.equal(write.status, 403)
    t.equal(write.body['code'], 'missing_role')
    t.match(write.headers['www-authenticate'], /error="insufficient_scope", .*scope="Forecast\.Write"/)
  })

  t.test('unprivileged client: 403 on forecast, 200 on whoami with no roles', async (t) => {
    const token = await tokenFor(emulator, clients.unprivileged)
    const read = await call(api, '/api/forecast', token)
    t.equal(read.status, 403)
    t.equal(read.body['code'], 'missing_role')
    const whoami = await call(api, '/api/whoami', token)
    t.equal(whoami.status, 200)
    t.same(whoami.body['roles'], [])
  })

  t.test('tenant B client: 401 wrong_tenant', async (t) => {
    const token = await tokenFor(emulator, clients.tenantB)
    const res = await call(api, '/api/forecast', token)
    t.equal(res.status, 401)
    t.equal(res.body['code'], 'wrong_tenant')
    t.match(res.headers['www-authenticate'], /error="invalid_token"/)
    const logged = await logLine(api, (entry) => entry['reason'] === 'wrong_tenant')
    t.match(logged, { appid: clients.tenantB.clientId, tid: TENANT_B, msg: 'token rejected', level: 30 })
  })

  t.test('rotation: old tokens keep working, the new key is picked up at its first token', async (t) => {
    const before = await tokenFor(emulator, clients.privileged)
    await admin(emulator, 'DELETE', 'stats')
    const { kid } = await admin(emulator, 'POST', 'keys/rotate')
    const after = await tokenFor(emulator, clients.privileged)
    t.equal(headerOf(after).kid, kid)
    t.not(headerOf(before).kid, kid)
    t.equal((await call(api, '/api/forecast', after)).status, 200)
    t.equal((await call(api, '/api/forecast', before)).status, 200)
    t.equal((await admin(emulator, 'GET', 'stats'))['jwksRequests'], 1, 'one refetch for the new kid')
  })

  t.test('JWKS down: tokens signed by known keys keep working', async (t) => {
    await admin(emulator, 'PUT', 'faults', { jwks: { status: 503 } })
    t.teardown(() => admin(emulator, 'DELETE', 'faults'))
    const fresh = await tokenFor(emulator, clients.privileged)
    const res = await call(api, '/api/forecast', fresh)
    t.equal(res.status, 200)
    const ready = await request(`${api.url}/health/ready`, { dispatcher })
    t.equal(ready.statusCode, 200)
    await ready.body.dump()
  })

  t.test('no token output in the logs', async (t) => {
    const token = await tokenFor(emulator, clients.privileged)
    await call(api, '/api/forecast', token)
    const signature = token.split('.')[2] ?? ''
    t.notOk(api.output.some((line) => line.includes(signature)))
  })
})

t.test('200 requests with random unknown kids cause at most 2 JWKS fetches', async (t) => {
  const emulator = await startService(t, 'entra-emulator', {})
  const api = await startApi(t, emulator)
  const claims = claimsOf(await tokenFor(emulator, clients.privileged))
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  await admin(emulator, 'DELETE', 'stats')
  const statuses = await Promise.all(Array.from({ length: 200 }, async () => {
    const token = signToken({ typ: 'JWT', alg: 'RS256', kid: randomUUID() }, claims, privateKey)
    const res = await call(api, '/api/forecast', token)
    return `${res.status} ${String(res.body['code'])}`
  }))
  t.same(new Set(statuses), new Set(['401 unknown_key']))
  const { jwksRequests } = await admin(emulator, 'GET', 'stats')
  t.ok(Number(jwksRequests) >= 1 && Number(jwksRequests) <= 2, `JWKS fetches: ${jwksRequests}`)
})
