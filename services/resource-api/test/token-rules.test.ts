import t from 'tap'
import { bearer, build } from './helpers/build.js'
import {
  API_APP_ID, API_APP_ID_URI, CLIENT_ID, CLIENT_OID, T0, TENANT_A, TENANT_B, createMockEntra, createTestKey, mint, v1Claims, v2Claims
} from './helpers/mock-entra.js'

const key = createTestKey('key-1')
const templatedKey = createTestKey('key-2', { issuer: 'https://login.example.test/{tenantid}/v2.0' })

t.test('a v2 app token with the role passes and names the caller', async (t) => {
  const { app } = await build(t, createMockEntra([key]))
  const res = await app.inject({ url: '/api/forecast', headers: bearer(mint(key, v2Claims())) })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  const body = res.json()
  t.equal(body.forecast.length, 5)
  t.same(body.caller, { appId: CLIENT_ID, tenantId: TENANT_A, objectId: CLIENT_OID, roles: ['Forecast.Read'], tokenVersion: '2.0' })
})

t.test('a v1 app token (sts.windows.net issuer, App ID URI audience, appid) passes', async (t) => {
  const { app } = await build(t, createMockEntra([key]))
  const res = await app.inject({ url: '/api/whoami', headers: bearer(mint(key, v1Claims())) })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { appId: CLIENT_ID, tenantId: TENANT_A, objectId: CLIENT_OID, roles: ['Forecast.Read'], tokenVersion: '1.0' })
})

t.test('either configured audience is accepted for either version', async (t) => {
  const { app } = await build(t, createMockEntra([key]))
  for (const claims of [v2Claims(T0, TENANT_A, { aud: API_APP_ID_URI }), v1Claims(T0, TENANT_A, { aud: API_APP_ID }), v2Claims(T0, TENANT_A, { aud: ['other', API_APP_ID] })]) {
    const res = await app.inject({ url: '/api/whoami', headers: bearer(mint(key, claims)) })
    t.equal(res.statusCode, 200, String(claims['aud']))
  }
})

t.test('a second accepted tenant passes with its own issuers; others are wrong_tenant', async (t) => {
  const { app } = await build(t, createMockEntra([key]), { config: { acceptedTenantIds: [TENANT_A, TENANT_B] } })
  const fromB = await app.inject({ url: '/api/whoami', headers: bearer(mint(key, v2Claims(T0, TENANT_B))) })
  t.equal(fromB.statusCode, 200)
  t.equal(fromB.json().tenantId, TENANT_B)
  const v1FromB = await app.inject({ url: '/api/whoami', headers: bearer(mint(key, v1Claims(T0, TENANT_B))) })
  t.equal(v1FromB.statusCode, 200)
  const other = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
  const res = await app.inject({ url: '/api/whoami', headers: bearer(mint(key, v2Claims(T0, other))) })
  t.equal(res.statusCode, 401)
  t.equal(res.json().code, 'wrong_tenant')
})

t.test('clock skew: 300 s either side of exp and nbf', async (t) => {
  const { app, clock } = await build(t, createMockEntra([key]))
  const claims = v2Claims(T0, TENANT_A, { nbf: T0 / 1000 + 299, exp: T0 / 1000 + 600 })
  const early = await app.inject({ url: '/api/whoami', headers: bearer(mint(key, claims)) })
  t.equal(early.statusCode, 200, 'nbf within the skew')
  const tooEarly = await app.inject({ url: '/api/whoami', headers: bearer(mint(key, { ...claims, nbf: T0 / 1000 + 301 })) })
  t.equal(tooEarly.json().code, 'not_yet_valid')
  clock.at = T0 + 600_000 + 299_000
  const late = await app.inject({ url: '/api/whoami', headers: bearer(mint(key, { ...claims, nbf: T0 / 1000 })) })
  t.equal(late.statusCode, 200, 'exp within the skew')
  clock.at = T0 + 600_000 + 301_000
  const tooLate = await app.inject({ url: '/api/whoami', headers: bearer(mint(key, { ...claims, nbf: T0 / 1000 })) })
  t.equal(tooLate.json().code, 'expired')
})

t.test('the verification cache serves a reused token and never outlives exp', async (t) => {
  const { app, clock } = await build(t, createMockEntra([key]))
  const token = mint(key, v2Claims(T0, TENANT_A, { exp: T0 / 1000 + 120 }))
  for (let i = 0; i < 3; i++) t.equal((await app.inject({ url: '/api/forecast', headers: bearer(token) })).statusCode, 200)
  clock.at = T0 + 120_000
  const atExp = await app.inject({ url: '/api/forecast', headers: bearer(token) })
  t.equal(atExp.statusCode, 200, 'still valid within the skew, by a fresh verification')
  clock.at = T0 + 120_000 + 300_001
  const after = await app.inject({ url: '/api/forecast', headers: bearer(token) })
  t.equal(after.statusCode, 401)
  t.equal(after.json().code, 'expired')
})

t.test('a key whose JWK names a {tenantid} issuer must match the token issuer', async (t) => {
  const { app } = await build(t, createMockEntra([templatedKey]), { config: { acceptedTenantIds: [TENANT_A, TENANT_B] } })
  t.equal((await app.inject({ url: '/api/whoami', headers: bearer(mint(templatedKey, v2Claims())) })).statusCode, 200, 'v2 issuer')
  t.equal((await app.inject({ url: '/api/whoami', headers: bearer(mint(templatedKey, v1Claims())) })).statusCode, 200, 'v1 token: key issuer is the v2 issuer')
  const foreignKeyIssuer = createTestKey('key-3', { issuer: 'https://login.example.test/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0' })
  const { app: app2 } = await build(t, createMockEntra([foreignKeyIssuer]))
  const res = await app2.inject({ url: '/api/whoami', headers: bearer(mint(foreignKeyIssuer, v2Claims())) })
  t.equal(res.statusCode, 401)
  t.equal(res.json().code, 'bad_key_issuer')
})

t.test('app-only detection: idtyp app, or oid == sub without scp', async (t) => {
  const { app } = await build(t, createMockEntra([key]))
  const { idtyp, ...withoutIdtyp } = v2Claims()
  t.equal(idtyp, 'app')
  t.equal((await app.inject({ url: '/api/whoami', headers: bearer(mint(key, withoutIdtyp)) })).statusCode, 200, 'oid == sub')
  const userToken = mint(key, { ...withoutIdtyp, sub: 'user-pairwise-sub', scp: 'Forecast.Read' })
  const res = await app.inject({ url: '/api/whoami', headers: bearer(userToken) })
  t.equal(res.statusCode, 401)
  t.equal(res.json().code, 'not_app_token')
  const idtypUser = await app.inject({ url: '/api/whoami', headers: bearer(mint(key, v2Claims(T0, TENANT_A, { idtyp: 'user' }))) })
  t.equal(idtypUser.json().code, 'not_app_token')
})

t.test('roles: any listed role is enough, compared case-sensitively; whoami needs none', async (t) => {
  const { app } = await build(t, createMockEntra([key]))
  const writer = mint(key, v2Claims(T0, TENANT_A, { roles: ['Forecast.Write'] }))
  t.equal((await app.inject({ url: '/api/forecast', headers: bearer(writer) })).statusCode, 403)
  const lower = mint(key, v2Claims(T0, TENANT_A, { roles: ['forecast.read'] }))
  t.equal((await app.inject({ url: '/api/forecast', headers: bearer(lower) })).statusCode, 403)
  const none = mint(key, v2Claims(T0, TENANT_A, { roles: undefined }))
  const whoami = await app.inject({ url: '/api/whoami', headers: bearer(none) })
  t.equal(whoami.statusCode, 200)
  t.same(whoami.json().roles, [])
})

t.test('a cached token sent in two Authorization headers is still a malformed request', async (t) => {
  const { app } = await build(t, createMockEntra([key]))
  const token = mint(key, v2Claims())
  t.equal((await app.inject({ url: '/api/forecast', headers: bearer(token) })).statusCode, 200)
  const twice: Record<string, string[]> = { authorization: [`Bearer ${token}`, `Bearer ${token}`] }
  const res = await app.inject({ url: '/api/forecast', headers: twice })
  t.equal(res.statusCode, 400)
  t.equal(res.json().code, 'invalid_request')
})
