import { createServer } from 'node:http'
import { once } from 'node:events'
import t from 'tap'
import { Agent } from 'undici'
import { bearer, build } from './helpers/build.js'
import { AUTHORITY, TENANT_A, createMockEntra, createTestKey, mint, v2Claims } from './helpers/mock-entra.js'
import { createProvider } from '../src/entra-auth/provider.js'
import { createFetchJson, PROVIDER_AGENT_OPTIONS, ProviderError } from '../src/entra-auth/fetch-json.js'
import { toSigningKeys } from '../src/entra-auth/signing-keys.js'

const key = createTestKey('key-1')
const next = createTestKey('key-2')

t.test('start: 2 metadata documents per tenant and 1 key set, then ready', async (t) => {
  const entra = createMockEntra([key])
  const { app } = await build(t, entra)
  t.same(entra.counts, { metadata: 2, jwks: 1 })
  t.equal((await app.inject({ url: '/health/ready' })).statusCode, 200)
})

t.test('not ready while the provider is down; 503 with Retry-After; ready after a retry succeeds', async (t) => {
  const entra = createMockEntra([key])
  entra.faultMetadata(503)
  const { app, logs } = await build(t, entra, { waitReady: false, deps: { retryMinMs: 5 } })
  t.equal((await app.inject({ url: '/health/ready' })).statusCode, 503)
  const early = await app.inject({ url: '/api/forecast', headers: bearer(mint(key, v2Claims())) })
  t.equal(early.statusCode, 503)
  t.equal(early.headers['retry-after'], '5')
  t.equal(early.json().code, 'keys_unavailable')
  t.equal(early.headers['www-authenticate'], undefined)
  const noToken = await app.inject({ url: '/api/forecast' })
  t.equal(noToken.statusCode, 401, 'a request without a token is still told so')
  entra.faultMetadata(undefined)
  await app.entraAuth.whenReady()
  t.equal((await app.inject({ url: '/health/ready' })).statusCode, 200)
  t.equal((await app.inject({ url: '/api/forecast', headers: bearer(mint(key, v2Claims())) })).statusCode, 200)
  const warning = logs.find((line) => line['msg'] === 'identity provider unavailable: not ready')
  t.match(warning, { level: 40, code: 'provider_status', component: 'entra-auth' })
  t.notOk(JSON.stringify(warning).includes('temporarily_unavailable'), 'no upstream body in the log')
})

t.test('a failed refresh keeps the last good metadata and keys', async (t) => {
  const entra = createMockEntra([key])
  const { app } = await build(t, entra)
  entra.faultJwks(500)
  await t.rejects(app.entraAuth.refresh(), { code: 'provider_status' })
  t.equal(app.entraAuth.isReady(), true)
  t.equal((await app.inject({ url: '/api/forecast', headers: bearer(mint(key, v2Claims())) })).statusCode, 200)
})

t.test('a new key is picked up by the first token naming it', async (t) => {
  const entra = createMockEntra([key])
  const { app } = await build(t, entra)
  entra.setKeys([key, next])
  t.equal((await app.inject({ url: '/api/forecast', headers: bearer(mint(next, v2Claims())) })).statusCode, 200)
  t.equal(entra.counts.jwks, 2)
})

t.test('JWKS down: known keys keep verifying new tokens; unknown kids are refused', async (t) => {
  const entra = createMockEntra([key])
  const { app } = await build(t, entra)
  entra.faultJwks(503)
  t.equal((await app.inject({ url: '/api/forecast', headers: bearer(mint(key, v2Claims())) })).statusCode, 200)
  const unknown = await app.inject({ url: '/api/forecast', headers: bearer(mint(next, v2Claims())) })
  t.equal(unknown.json().code, 'unknown_key')
})

t.test('a withdrawn key stops cached verdicts at once', async (t) => {
  const entra = createMockEntra([key, next])
  const { app } = await build(t, entra)
  const token = mint(key, v2Claims())
  t.equal((await app.inject({ url: '/api/forecast', headers: bearer(token) })).statusCode, 200)
  entra.setKeys([next])
  await app.entraAuth.refresh()
  const res = await app.inject({ url: '/api/forecast', headers: bearer(token) })
  t.equal(res.statusCode, 401)
  t.equal(res.json().code, 'unknown_key')
})

t.test('unusable documents keep the service not ready', async (t) => {
  const weak = createTestKey('weak', {}, 1024)
  const rs512 = createTestKey('rs512', { alg: 'RS512' })
  const enc = createTestKey('enc', { use: 'enc' })
  const entra = createMockEntra([weak, rs512, enc])
  const { app } = await build(t, entra, { waitReady: false })
  await t.rejects(app.entraAuth.refresh(), { code: 'provider_invalid' })
  t.equal(app.entraAuth.isReady(), false)
})

t.test('toSigningKeys keeps RSA signature keys with no alg or RS256 only', async (t) => {
  const keys = toSigningKeys({
    keys: [
      key.jwk,
      { ...next.jwk, alg: 'RS256' },
      { ...next.jwk, kid: 'ec', kty: 'EC' },
      { ...next.jwk, kid: 'ps', alg: 'PS256' },
      { ...next.jwk, kid: '' },
      { ...next.jwk, kid: 'broken', n: 'AA' }
    ]
  })
  t.same([...keys.keys()], ['key-1', 'key-2'])
  t.same(toSigningKeys({}).size, 0)
  t.same(toSigningKeys(null).size, 0)
})

t.test('fetchJson: a real deadline, no upstream body, bounded size', async (t) => {
  const server = createServer((req, res) => {
    if (req.url === '/hang') return
    if (req.url === '/status') res.writeHead(500).end('{"secret":"upstream detail"}')
    else if (req.url === '/html') res.end('<html>')
    else if (req.url === '/big') res.end(JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }))
    else res.end('{"ok":true}')
  }).listen(0, '127.0.0.1')
  await once(server, 'listening')
  const agent = new Agent(PROVIDER_AGENT_OPTIONS)
  t.teardown(async () => {
    await agent.destroy()
    server.closeAllConnections()
    server.close()
  })
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  const fetchJson = createFetchJson(agent, 100)
  t.same(await fetchJson(`${base}/ok`), { ok: true })
  const checks: Array<[string, string]> = [['/hang', 'provider_timeout'], ['/status', 'provider_status'], ['/html', 'provider_invalid'], ['/big', 'provider_invalid']]
  for (const [path, code] of checks) {
    const err = await fetchJson(`${base}${path}`).then(() => undefined, (e: unknown) => e)
    t.ok(err instanceof ProviderError, path)
    t.equal((err as ProviderError).code, code, path)
    t.notOk((err as Error).message.includes('upstream detail'), `${path}: no body in the message`)
  }
  const unreachable = await createFetchJson(agent, 1000)('http://127.0.0.1:1/').catch((e: ProviderError) => e.code)
  t.equal(unreachable, 'provider_unreachable')
})

t.test('the background refresh reloads metadata and keys after each interval', async (t) => {
  const entra = createMockEntra([key])
  let loads = 0
  let onSecondLoad!: () => void
  const secondLoad = new Promise<void>((resolve) => { onSecondLoad = resolve })
  const fetchJson = createFetchJson(entra.agent, 1000)
  const provider = createProvider({
    authorityHost: AUTHORITY,
    tenantId: TENANT_A,
    acceptedTenantIds: [TENANT_A],
    fetchJson: async (url) => {
      const body = await fetchJson(url)
      if (url.endsWith('/keys') && ++loads === 2) onSecondLoad()
      return body
    },
    now: Date.now,
    random: () => 0.5,
    refreshIntervalMs: 1,
    retryMinMs: 1,
    retryMaxMs: 1,
    refetchCooldownMs: 0,
    onTrustChanged: () => {},
    log: { warn: () => {}, info: () => {} }
  })
  // The provider's timers are unref'd (they never hold a process open): keep this test's process alive.
  const keepAlive = setInterval(() => {}, 1000)
  t.teardown(() => { clearInterval(keepAlive); provider.close() })
  provider.start()
  await provider.whenReady()
  t.equal(provider.isReady(), true)
  await secondLoad
  t.equal(entra.counts.jwks >= 2, true)
  t.equal(entra.counts.metadata >= 4, true, 'metadata is re-read too')
})
