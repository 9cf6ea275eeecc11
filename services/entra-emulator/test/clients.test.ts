import { createHash, generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { selfSignedCertificate } from '@entra-s2s/shared'
import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity'
import { ConfidentialClientApplication, ServerError, type Configuration } from '@azure/msal-node'
import t, { type Test } from 'tap'
import {
  daemon, demoPem, demoThumbprints, legacyApp, legacyUri, resourceApp, resourceScope, secretForm, startEmulator,
  tenantA, tenantB, tenantBDaemon, verifyWithJwks
} from './helpers.js'

const emulator = await startEmulator(t)
const host = new URL(emulator.url).host
const pem = readFileSync(demoPem, 'utf8')
const v2Issuer = (tenant: string) => `${emulator.url}/${tenant}/v2.0`
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Unmodified MSAL: only the authority, knownAuthorities and (through NODE_EXTRA_CA_CERTS) CA trust differ from real Entra. */
const msal = (auth: Partial<Configuration['auth']>, tenant = tenantA) =>
  new ConfidentialClientApplication({ auth: { clientId: daemon.appId, authority: `${emulator.url}/${tenant}`, knownAuthorities: [host], ...auth } })

async function checkV2Token (t: Test, token: string, acr: '1' | '2', tenant = tenantA, client = daemon.appId): Promise<void> {
  const claims = await verifyWithJwks(emulator, token, `/${tenant}/discovery/v2.0/keys`, { iss: v2Issuer(tenant), aud: resourceApp })
  t.equal(claims['ver'], '2.0')
  t.equal(claims['tid'], tenant)
  t.equal(claims['azp'], client)
  t.equal(claims['azpacr'], acr)
  t.equal(claims['idtyp'], 'app')
  t.match(claims['oid'], GUID)
  t.equal(claims['sub'], claims['oid'], 'sub = oid for app-only tokens')
  t.same(claims['roles'], ['Forecast.Read'])
  t.equal((claims['exp'] as number) - (claims['iat'] as number), 3599)
  t.notOk('appid' in claims, 'no v1 appid')
  t.notOk('scp' in claims, 'no scp')
  for (const opaque of ['aio', 'rh', 'uti']) t.type(claims[opaque], 'string', opaque)
}

t.test('MSAL Node: client secret', async (t) => {
  const result = await msal({ clientSecret: daemon.secret }).acquireTokenByClientCredential({ scopes: [resourceScope] })
  t.ok(result)
  await checkV2Token(t, result!.accessToken, '1')
  t.ok(result!.expiresOn!.getTime() > Date.now() + 3000_000, 'expiresOn from expires_in')
})

t.test('MSAL Node: certificate with SHA-256 thumbprint (PS256 + x5t#S256)', async (t) => {
  const result = await msal({ clientCertificate: { thumbprintSha256: demoThumbprints.sha256Hex, privateKey: pem } }).acquireTokenByClientCredential({ scopes: [resourceScope] })
  await checkV2Token(t, result!.accessToken, '2')
})

t.test('MSAL Node: certificate with SHA-1 thumbprint (RS256 + x5t)', async (t) => {
  const result = await msal({ clientCertificate: { thumbprint: demoThumbprints.sha1Hex, privateKey: pem } }).acquireTokenByClientCredential({ scopes: [resourceScope] })
  await checkV2Token(t, result!.accessToken, '2')
})

t.test('MSAL Node with cloudDiscoveryMetadata instead of knownAuthorities', async (t) => {
  const discovery = await emulator.get(`/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${emulator.url}/${tenantA}/oauth2/v2.0/authorize`)}`)
  const app = new ConfidentialClientApplication({
    auth: { clientId: daemon.appId, clientSecret: daemon.secret, authority: `${emulator.url}/${tenantA}`, cloudDiscoveryMetadata: JSON.stringify(discovery.body) }
  })
  await checkV2Token(t, (await app.acquireTokenByClientCredential({ scopes: [resourceScope] }))!.accessToken, '1')
})

t.test('@azure/identity: ClientSecretCredential and ClientCertificateCredential (authorityHost + disableInstanceDiscovery)', async (t) => {
  const options = { authorityHost: emulator.url, disableInstanceDiscovery: true }
  const secret = await new ClientSecretCredential(tenantA, daemon.appId, daemon.secret, options).getToken(resourceScope)
  await checkV2Token(t, secret.token, '1')
  const certificate = await new ClientCertificateCredential(tenantA, daemon.appId, demoPem, options).getToken(resourceScope)
  await checkV2Token(t, certificate.token, '2')
  const chained = await new ClientCertificateCredential(tenantA, daemon.appId, { certificate: pem }, { ...options, sendCertificateChain: true }).getToken(resourceScope)
  await checkV2Token(t, chained.token, '2')
})

t.test('a tenant B client gets a tenant B token for tenant A\'s multi-tenant API, signed by the same key', async (t) => {
  const result = await msal({ clientId: tenantBDaemon.appId, clientSecret: tenantBDaemon.secret }, tenantB).acquireTokenByClientCredential({ scopes: [resourceScope] })
  await checkV2Token(t, result!.accessToken, '1', tenantB, tenantBDaemon.appId)
  const a = await msal({ clientSecret: daemon.secret }).acquireTokenByClientCredential({ scopes: [resourceScope] })
  const kid = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid
  t.equal(kid(result!.accessToken), kid(a!.accessToken), 'one key set for all tenants')
  const oid = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).oid
  t.equal(oid(a!.accessToken), oid((await msal({ clientSecret: daemon.secret }).acquireTokenByClientCredential({ scopes: [resourceScope] }))!.accessToken), 'oid stable per client')
})

t.test('v1 tokens: the resource decides the version; the v1 endpoint answers with strings', async (t) => {
  const viaV2 = await emulator.post(`/${tenantA}/oauth2/v2.0/token`, secretForm(daemon.appId, daemon.secret, `${legacyUri}/.default`))
  t.equal(viaV2.status, 200)
  t.type(viaV2.body['expires_in'], 'number', 'v2 endpoint: numbers')
  t.notOk('scope' in viaV2.body, 'no scope in the response')
  const v1Issuer = `${emulator.url}/${tenantA}/`
  const claims = await verifyWithJwks(emulator, String(viaV2.body['access_token']), `/${tenantA}/discovery/keys`, { iss: v1Issuer, aud: legacyUri })
  t.equal(claims['ver'], '1.0')
  t.equal(claims['appid'], daemon.appId)
  t.equal(claims['appidacr'], '1')
  t.equal(claims['idp'], v1Issuer)
  t.same(claims['roles'], ['Legacy.Read'], 'the disabled role is left out')
  t.notOk('azp' in claims)
  const header = JSON.parse(Buffer.from(String(viaV2.body['access_token']).split('.')[0]!, 'base64url').toString())
  t.equal(header.x5t, header.kid, 'v1 header repeats kid as x5t')

  const viaV1 = await emulator.post(`/${tenantA}/oauth2/token`, { grant_type: 'client_credentials', client_id: daemon.appId, client_secret: daemon.secret, resource: legacyApp })
  t.equal(viaV1.status, 200)
  for (const field of ['expires_in', 'ext_expires_in', 'expires_on', 'not_before']) t.match(viaV1.body[field], /^\d+$/, `${field} is a numeric string`)
  t.equal(viaV1.body['resource'], legacyApp)
  t.equal(viaV1.body['token_type'], 'Bearer')
  await verifyWithJwks(emulator, String(viaV1.body['access_token']), `/${tenantA}/discovery/keys`, { iss: v1Issuer, aud: legacyApp })

  const v2ResourceViaV1 = await emulator.post(`/${tenantA}/oauth2/token`, { grant_type: 'client_credentials', client_id: daemon.appId, client_secret: daemon.secret, resource: `api://${resourceApp}` })
  await checkV2Token(t, String(v2ResourceViaV1.body['access_token']), '1')
})

t.test('client_secret_basic', async (t) => {
  const basic = Buffer.from(`${encodeURIComponent(daemon.appId)}:${encodeURIComponent(daemon.secret)}`).toString('base64')
  const answer = await emulator.post(`/${tenantA}/oauth2/v2.0/token`, { grant_type: 'client_credentials', scope: resourceScope }, { authorization: `Basic ${basic}` })
  t.equal(answer.status, 200)
  await checkV2Token(t, String(answer.body['access_token']), '1')
})

t.test('MSAL surfaces the AADSTS code as ServerError errorCode/errorNo', async (t) => {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const unregistered = {
    thumbprintSha256: createHash('sha256').update(selfSignedCertificate(keys, 'not registered').der).digest('hex'),
    privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  }
  const cases = [
    { name: 'wrong secret', app: msal({ clientSecret: 'nope' }), scopes: [resourceScope], error: 'invalid_client', code: 7000215, status: 401 },
    { name: 'unknown resource', app: msal({ clientSecret: daemon.secret }), scopes: ['api://unknown/.default'], error: 'invalid_resource', code: 500011, status: 400 },
    { name: 'two resources', app: msal({ clientSecret: daemon.secret }), scopes: [resourceScope, 'https://graph.microsoft.com/.default'], error: 'invalid_scope', code: 700022, status: 400 },
    { name: 'unknown client', app: msal({ clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'x' }), scopes: [resourceScope], error: 'unauthorized_client', code: 700016, status: 400 },
    { name: 'expired secret', app: msal({ clientSecret: daemon.expired }), scopes: [resourceScope], error: 'invalid_client', code: 7000222, status: 401 },
    { name: 'scope without /.default', app: msal({ clientSecret: daemon.secret }), scopes: [`api://${resourceApp}/Forecast.Read`], error: 'invalid_scope', code: 1002012, status: 400 },
    { name: 'unregistered certificate', app: msal({ clientCertificate: unregistered }), scopes: [resourceScope], error: 'invalid_client', code: 700027, status: 401 }
  ]
  for (const c of cases) {
    const err = await c.app.acquireTokenByClientCredential({ scopes: c.scopes }).then(() => undefined, (e: unknown) => e)
    t.ok(err instanceof ServerError, `${c.name}: ServerError`)
    t.equal((err as ServerError).errorCode, c.error, `${c.name}: errorCode`)
    t.equal(Number((err as ServerError).errorNo), c.code, `${c.name}: errorNo`)
    t.equal((err as ServerError).status, c.status, `${c.name}: status`)
  }
  const identityError = await new ClientSecretCredential(tenantA, daemon.appId, 'nope', { authorityHost: emulator.url, disableInstanceDiscovery: true })
    .getToken(resourceScope).then(() => undefined, (e: unknown) => e as Error)
  t.match(identityError?.message, /AADSTS7000215/, '@azure/identity carries the AADSTS text')
})
