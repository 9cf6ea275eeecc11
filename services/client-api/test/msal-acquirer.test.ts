import { Writable } from 'node:stream'
import t, { type Test } from 'tap'
import { pino } from 'pino'
import { TokenAcquisitionError } from '../src/error-translation.js'
import { createIdpHttp } from '../src/idp-http.js'
import { createMsalAcquirer } from '../src/msal-acquirer.js'
import { createTokenProvider } from '../src/token-provider.js'
import { loadCredential, type Credential } from '../src/credential.js'
import { rsaCertificate, tempFiles } from './certificates.js'
import { aadstsAnswer, idpStandIn, issued, type TokenAnswer } from './idp-stand-in.js'
import { SCOPE, SECRET } from './stand-ins.js'

const TENANT = 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161'
const CLIENT = '3f6e7393-8081-49b4-b995-442cc17f830a'

async function acquirerFor (t: Test, options: { answer?: (n: number) => TokenAnswer, listHost?: boolean, credential?: Credential, timeoutMs?: number } = {}) {
  const idp = await idpStandIn(t, options)
  const http = createIdpHttp(options.timeoutMs)
  t.teardown(() => http.close())
  const lines: string[] = []
  const log = pino({ level: 'debug' }, new Writable({ write (chunk, _enc, done) { lines.push(String(chunk)); done() } }))
  const acquire = createMsalAcquirer({
    tenantId: TENANT,
    clientId: CLIENT,
    authorityHost: idp.url,
    http,
    log,
    credential: options.credential ?? loadCredential({ AZURE_CLIENT_SECRET: SECRET })
  })
  return { idp, acquire, lines }
}

const decode = (jwt: string | undefined) => {
  const [header, payload] = (jwt ?? '').split('.')
  return { header: JSON.parse(Buffer.from(header ?? '', 'base64url').toString()), payload: JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) }
}

t.test('100 concurrent cold callers: one discovery, one metadata fetch, one token request (real MSAL)', async (t) => {
  const { idp, acquire, lines } = await acquirerFor(t)
  const provider = createTokenProvider({ acquire })
  t.teardown(() => provider.close())
  const results = await Promise.all(Array.from({ length: 100 }, () => provider.getToken(SCOPE)))
  t.ok(results.every((r) => r.accessToken === 'access-token-1'))
  t.same(idp.counts, { discovery: 1, metadata: 1, token: 1 })
  t.match(idp.tokenRequests[0], { grant_type: 'client_credentials', client_id: CLIENT, scope: SCOPE, client_secret: SECRET })
  const expiresIn = Date.parse(results[0]!.facts.expiresOn) - Date.now()
  t.ok(expiresIn > 3_500_000 && expiresIn <= 3_600_000, `expiry from expires_in (3599 s, whole seconds): ${expiresIn} ms`)

  const forced = await provider.forceRefresh(SCOPE, 'access-token-1')
  t.equal(forced.accessToken, 'access-token-2', 'a forced refresh bypasses MSAL\'s cache')
  t.same(idp.counts, { discovery: 1, metadata: 1, token: 2 })
  t.notMatch(lines.join(''), SECRET, 'MSAL logs carry no secret')
  t.notMatch(lines.join(''), 'access-token-', 'MSAL logs carry no token')
})

t.test('a refusal carries the AADSTS code; no Retry-After asked', async (t) => {
  const { acquire } = await acquirerFor(t, { answer: () => aadstsAnswer(401, 'invalid_client', 7000215) })
  const err = await acquire(SCOPE, { forceRefresh: false }).catch((e: unknown) => e)
  t.type(err, TokenAcquisitionError)
  t.match(err, { code: 'identity_provider_refused', aadsts: 7000215, reason: 'invalid_client', retryAfterMs: undefined })
})

t.test('a 503 with Retry-After: unavailable, and MSAL\'s own throttle is reported the same way', async (t) => {
  const { idp, acquire } = await acquirerFor(t, { answer: (n) => n === 1 ? aadstsAnswer(503, 'temporarily_unavailable', 90033, { 'retry-after': '2' }) : issued(n) })
  t.match(await acquire(SCOPE, { forceRefresh: false }).catch((e: unknown) => e), { code: 'identity_provider_unavailable', aadsts: 90033, retryAfterMs: 2000 })
  t.match(await acquire(SCOPE, { forceRefresh: false }).catch((e: unknown) => e), { code: 'identity_provider_unavailable', aadsts: 90033 },
    'MSAL refuses the same request without the network inside Retry-After')
  t.equal(idp.counts.token, 1)
})

t.test('a stalled token endpoint fails at the deadline instead of hanging', async (t) => {
  const { acquire } = await acquirerFor(t, { answer: () => undefined, timeoutMs: 300 })
  t.match(await acquire(SCOPE, { forceRefresh: false }).catch((e: unknown) => e), { code: 'identity_provider_unavailable', reason: 'network_error' })
})

t.test('an answer over 1 MiB is refused unread', async (t) => {
  const { acquire } = await acquirerFor(t, { answer: () => ({ status: 200, body: { padding: 'x'.repeat(1 << 21) } }) })
  t.match(await acquire(SCOPE, { forceRefresh: false }).catch((e: unknown) => e), { code: 'identity_provider_unavailable', reason: 'network_error' })
})

t.test('an instance discovery that does not list the authority host is refused', async (t) => {
  const { idp, acquire } = await acquirerFor(t, { listHost: false })
  t.match(await acquire(SCOPE, { forceRefresh: false }).catch((e: unknown) => e), { code: 'identity_provider_refused', reason: 'instance_not_listed' })
  t.same(idp.counts, { discovery: 1, metadata: 0, token: 0 })
})

t.test('certificate credential: a PS256 assertion with x5t#S256, no secret', async (t) => {
  const file = await tempFiles(t)
  const { key, cert } = await rsaCertificate()
  const credential = loadCredential({ AZURE_CLIENT_CERTIFICATE_PATH: await file('client.pem', key + cert), AZURE_CLIENT_SEND_CERTIFICATE_CHAIN: true })
  const { idp, acquire } = await acquirerFor(t, { credential })
  t.equal((await acquire(SCOPE, { forceRefresh: false })).accessToken, 'access-token-1')
  const body = idp.tokenRequests[0]!
  t.equal(body['client_secret'], undefined)
  t.equal(body['client_assertion_type'], 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
  const { header, payload } = decode(body['client_assertion'])
  t.match(header, { alg: 'PS256', typ: 'JWT', 'x5t#S256': Buffer.from(credential.kind === 'certificate' ? credential.thumbprintSha256 : '', 'hex').toString('base64url') })
  t.equal(header.x5c.length, 1, 'the chain is sent when asked')
  t.match(payload, { iss: CLIENT, sub: CLIENT, aud: `${idp.url}/${TENANT}/oauth2/v2.0/token` })
})

t.test('federated credential: the assertion file is read at every acquisition', async (t) => {
  const file = await tempFiles(t)
  const path = await file('federated-token', 'assertion-one')
  const { idp, acquire } = await acquirerFor(t, { credential: loadCredential({ AZURE_FEDERATED_TOKEN_FILE: path }) })
  await acquire(SCOPE, { forceRefresh: false })
  await file('federated-token', 'assertion-two')
  await acquire(SCOPE, { forceRefresh: true })
  t.same(idp.tokenRequests.map((b) => b['client_assertion']), ['assertion-one', 'assertion-two'])
  await file('federated-token', '')
  t.match(await acquire(SCOPE, { forceRefresh: true }).catch((e: unknown) => e), { code: 'credential_unavailable' })
})
