import { X509Certificate, generateKeyPairSync } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import t, { type Test } from 'tap'
import { SettingsError } from '@entra-s2s/shared'
import { loadConfig } from '../src/config.js'
import { CredentialError, readFederatedToken } from '../src/credential.js'
import { encryptedKey, rsaCertificate, tempFiles } from './certificates.js'

const SECRET = 'demo-only~not-a-real-secret-0123456789'
const base = {
  AZURE_TENANT_ID: 'E8FA9F70-FFD2-4739-A8A2-F5AF62D14161',
  AZURE_CLIENT_ID: '3f6e7393-8081-49b4-b995-442cc17f830a',
  RESOURCE_API_URL: 'http://localhost:3001/',
  RESOURCE_API_SCOPE: 'api://63f3823d-1481-4d2c-b93c-c86eec1bd969/.default'
}

function settingsError (t: Test, env: NodeJS.ProcessEnv, setting: string, message: RegExp) {
  try {
    loadConfig(env)
    t.fail(`expected ${setting} to be refused`)
  } catch (err) {
    t.type(err, SettingsError)
    t.equal((err as SettingsError).setting, setting)
    t.match((err as Error).message, message)
    t.notMatch((err as Error).message, /\n/, 'one line')
    t.notMatch((err as Error).message, SECRET, 'never the secret')
  }
}

t.test('a client secret config with defaults', async (t) => {
  const config = loadConfig({ ...base, AZURE_CLIENT_SECRET: SECRET })
  t.match(config, {
    host: 'localhost',
    port: 3000,
    logLevel: 'info',
    tenantId: 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161',
    clientId: base.AZURE_CLIENT_ID,
    authorityHost: 'https://login.microsoftonline.com',
    resourceApiUrl: 'http://localhost:3001',
    resourceApiScope: base.RESOURCE_API_SCOPE,
    resourceApiTimeoutMs: 5000,
    credential: { kind: 'secret', secret: SECRET }
  })
  t.ok(Object.isFrozen(config))
  t.notMatch(JSON.stringify(config), SECRET, 'the credential serialises without its secret')
  t.match(JSON.stringify(config), '"credential":{"kind":"secret"}')
})

t.test('listen, authority and resource settings', async (t) => {
  const config = loadConfig({
    ...base,
    AZURE_CLIENT_SECRET: SECRET,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    AZURE_AUTHORITY_HOST: 'https://localhost:8443/',
    RESOURCE_API_URL: 'https://api.example.com/v1/',
    RESOURCE_API_TIMEOUT_MS: '250'
  })
  t.match(config, { port: 0, host: '127.0.0.1', logLevel: 'warn', authorityHost: 'https://localhost:8443', resourceApiUrl: 'https://api.example.com/v1', resourceApiTimeoutMs: 250 })
})

t.test('bad settings stop the start with one line naming the setting', async (t) => {
  const env = { ...base, AZURE_CLIENT_SECRET: SECRET }
  settingsError(t, { ...env, AZURE_TENANT_ID: undefined }, 'AZURE_TENANT_ID', /^AZURE_TENANT_ID is required: expected .*GUID/)
  settingsError(t, { ...env, AZURE_CLIENT_ID: 'client' }, 'AZURE_CLIENT_ID', /^AZURE_CLIENT_ID is invalid/)
  settingsError(t, { ...env, AZURE_AUTHORITY_HOST: 'http://localhost:8443' }, 'AZURE_AUTHORITY_HOST', /https/)
  settingsError(t, { ...env, AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com/tenant' }, 'AZURE_AUTHORITY_HOST', /without a path/)
  settingsError(t, { ...env, RESOURCE_API_URL: undefined }, 'RESOURCE_API_URL', /is required/)
  settingsError(t, { ...env, RESOURCE_API_URL: 'ftp://host' }, 'RESOURCE_API_URL', /http:\/\/ or https:\/\//)
  settingsError(t, { ...env, RESOURCE_API_SCOPE: 'api://63f3823d-1481-4d2c-b93c-c86eec1bd969/Forecast.Read' }, 'RESOURCE_API_SCOPE', /\/\.default/)
  settingsError(t, { ...env, RESOURCE_API_TIMEOUT_MS: '0' }, 'RESOURCE_API_TIMEOUT_MS', /is invalid/)
  settingsError(t, { ...env, PORT: '70000' }, 'PORT', /is invalid/)
})

t.test('exactly one credential', async (t) => {
  settingsError(t, base, 'AZURE_CLIENT_SECRET', /^exactly one of AZURE_CLIENT_SECRET, AZURE_CLIENT_SECRET_FILE, AZURE_CLIENT_CERTIFICATE_PATH, AZURE_FEDERATED_TOKEN_FILE must be set: none is set$/)
  settingsError(t, { ...base, AZURE_CLIENT_SECRET: SECRET, AZURE_FEDERATED_TOKEN_FILE: '/tmp/token' }, 'AZURE_FEDERATED_TOKEN_FILE',
    /must be set: AZURE_CLIENT_SECRET and AZURE_FEDERATED_TOKEN_FILE are set$/)
  settingsError(t, { ...base, AZURE_CLIENT_SECRET: SECRET, AZURE_CLIENT_CERTIFICATE_PASSWORD: 'pw' }, 'AZURE_CLIENT_CERTIFICATE_PASSWORD', /without AZURE_CLIENT_CERTIFICATE_PATH/)
})

t.test('a client secret from a file', async (t) => {
  const file = await tempFiles(t)
  const path = await file('secret', `${SECRET}\n`)
  t.match(loadConfig({ ...base, AZURE_CLIENT_SECRET_FILE: path }).credential, { kind: 'secret', secret: SECRET })
  settingsError(t, { ...base, AZURE_CLIENT_SECRET_FILE: `${path}.missing` }, 'AZURE_CLIENT_SECRET_FILE', /^AZURE_CLIENT_SECRET_FILE cannot be read \(ENOENT\)/)
  settingsError(t, { ...base, AZURE_CLIENT_SECRET_FILE: await file('empty', '\n') }, 'AZURE_CLIENT_SECRET_FILE', /not an empty one/)
})

t.test('a certificate: key and certificate in one PEM, SHA-256 thumbprint, optional chain', async (t) => {
  const file = await tempFiles(t)
  const { key, cert } = await rsaCertificate()
  const other = await rsaCertificate('another')
  const path = await file('client.pem', other.cert + key + cert)
  const credential = loadConfig({ ...base, AZURE_CLIENT_CERTIFICATE_PATH: path }).credential
  const thumbprint = new X509Certificate(cert).fingerprint256.replaceAll(':', '').toLowerCase()
  t.match(credential, { kind: 'certificate', thumbprintSha256: thumbprint, x5c: undefined })
  t.match(credential, { privateKey: /^-----BEGIN PRIVATE KEY-----/ })
  t.same(JSON.parse(JSON.stringify(credential)), { kind: 'certificate' })

  const chained = loadConfig({ ...base, AZURE_CLIENT_CERTIFICATE_PATH: path, AZURE_CLIENT_SEND_CERTIFICATE_CHAIN: 'true' }).credential
  t.equal(chained.kind === 'certificate' && chained.x5c, `${new X509Certificate(cert).toString()}\n${new X509Certificate(other.cert).toString()}`,
    'the chain starts with the certificate that matches the key')

  const locked = await file('locked.pem', encryptedKey(key, 'correct horse') + cert)
  t.match(loadConfig({ ...base, AZURE_CLIENT_CERTIFICATE_PATH: locked, AZURE_CLIENT_CERTIFICATE_PASSWORD: 'correct horse' }).credential,
    { kind: 'certificate', thumbprintSha256: thumbprint, privateKey: /^-----BEGIN PRIVATE KEY-----/ })
  settingsError(t, { ...base, AZURE_CLIENT_CERTIFICATE_PATH: locked }, 'AZURE_CLIENT_CERTIFICATE_PATH', /set AZURE_CLIENT_CERTIFICATE_PASSWORD/)
  settingsError(t, { ...base, AZURE_CLIENT_CERTIFICATE_PATH: locked, AZURE_CLIENT_CERTIFICATE_PASSWORD: 'wrong' }, 'AZURE_CLIENT_CERTIFICATE_PASSWORD', /with this password/)
})

t.test('certificate files that cannot work are refused at start', async (t) => {
  const file = await tempFiles(t)
  const { key } = await rsaCertificate()
  const other = await rsaCertificate('another')
  settingsError(t, { ...base, AZURE_CLIENT_CERTIFICATE_PATH: '/nonexistent/client.pem' }, 'AZURE_CLIENT_CERTIFICATE_PATH', /cannot be read \(ENOENT\)/)
  settingsError(t, { ...base, AZURE_CLIENT_CERTIFICATE_PATH: await file('cert-only.pem', other.cert) }, 'AZURE_CLIENT_CERTIFICATE_PATH', /private key/)
  settingsError(t, { ...base, AZURE_CLIENT_CERTIFICATE_PATH: await file('mismatch.pem', key + other.cert) }, 'AZURE_CLIENT_CERTIFICATE_PATH', /matches its private key/)
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  settingsError(t, { ...base, AZURE_CLIENT_CERTIFICATE_PATH: await file('ec.pem', ec + other.cert) }, 'AZURE_CLIENT_CERTIFICATE_PATH', /RSA/)
})

t.test('a federated token file is checked at start and read again at every acquisition', async (t) => {
  const file = await tempFiles(t)
  const path = await file('token', 'assertion-1\n')
  const credential = loadConfig({ ...base, AZURE_FEDERATED_TOKEN_FILE: path }).credential
  t.same(credential, { kind: 'federated', tokenFile: path })
  t.equal(await readFederatedToken(path), 'assertion-1')
  await writeFile(path, 'assertion-2')
  t.equal(await readFederatedToken(path), 'assertion-2', 'a rotated file is picked up')
  await writeFile(path, '')
  await t.rejects(readFederatedToken(path), CredentialError)
  await t.rejects(readFederatedToken(`${path}.gone`), { code: 'credential_unavailable', message: /ENOENT/ })
  settingsError(t, { ...base, AZURE_FEDERATED_TOKEN_FILE: `${path}.gone` }, 'AZURE_FEDERATED_TOKEN_FILE', /cannot be read \(ENOENT\)/)
})
