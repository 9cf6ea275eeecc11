import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { setTimeout } from 'node:timers/promises'
import { join } from 'node:path'
import t from 'tap'
import { Agent, request } from 'undici'
import { devCaPath, repoRoot, startService } from '../../../test/helpers/start-service.js'
import { tenantA } from './helpers.js'

const demoSecret = 'demo-only~M8zPLWEytB1yQ-sVisgrtZBge3O-bYwGDcHNwPY7'
const demoClient = '3f6e7393-8081-49b4-b995-442cc17f830a'
const scope = 'api://63f3823d-1481-4d2c-b93c-c86eec1bd969/.default'
const dispatcher = new Agent({ keepAliveTimeout: 10 })
t.teardown(() => dispatcher.close())

const json = async (url: string, init: Parameters<typeof request>[1] = {}) => {
  const res = await request(url, { dispatcher, ...init })
  return { status: res.statusCode, body: await res.body.json() as Record<string, unknown> }
}

t.test('the built server: bundled demo, one log line per token request without secrets, clean SIGTERM', async (t) => {
  const emulator = await startService(t, 'entra-emulator', {})
  const metadata = await json(`${emulator.url}/${tenantA}/v2.0/.well-known/openid-configuration`)
  t.equal(metadata.status, 200)
  t.equal(metadata.body['issuer'], `${emulator.url}/${tenantA}/v2.0`, 'issuer on the bound port')
  const form = (secret: string) => new URLSearchParams({ grant_type: 'client_credentials', client_id: demoClient, client_secret: secret, scope }).toString()
  const post = (secret: string) => json(`${emulator.url}/${tenantA}/oauth2/v2.0/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(secret)
  })
  const issued = await post(demoSecret)
  t.equal(issued.status, 200)
  t.equal((await post('demo-only~wrong-secret-value')).status, 401)
  t.equal((await json(`${emulator.url}/health/live`)).status, 200)

  const tokenLogLines = () => emulator.output.filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry['msg'] === 'token request')
  // Lines are logged after each response is sent: wait (bounded) until the child's output has been read.
  for (let waited = 0; tokenLogLines().length < 2 && waited < 5_000; waited += 20) await setTimeout(20)
  const tokenLines = tokenLogLines()
  t.equal(tokenLines.length, 2, 'one line per token request')
  t.match(tokenLines[0], { level: 30, clientId: demoClient, tenant: tenantA, outcome: 'issued', status: 200, auth: 'secret', version: 2 })
  t.match(tokenLines[1], { level: 30, clientId: demoClient, tenant: tenantA, outcome: 'refused', status: 401, aadsts: 7000215 })
  const all = emulator.output.join('\n')
  t.notMatch(all, demoSecret, 'no secret in the logs')
  t.notMatch(all, 'wrong-secret-value', 'no wrong secret in the logs')
  t.notMatch(all, String(issued.body['access_token']).slice(0, 40), 'no token in the logs')
  t.notMatch(all, /Deprecation|Warning/, 'no runtime warnings')

  t.equal(await emulator.stop('SIGTERM'), 0, 'exits 0 on SIGTERM')
})

t.test('EMULATOR_PUBLIC_URL names the issuer and joins the server certificate', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'emulator-tls-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  // Same CA as the one the tests trust, so only the server certificate is issued anew (with the extra host).
  await copyFile(devCaPath, join(dir, 'ca.pem'))
  await copyFile(`${repoRoot}.certs/ca-key.pem`, join(dir, 'ca-key.pem'))
  const emulator = await startService(t, 'entra-emulator', { EMULATOR_PUBLIC_URL: 'https://entra-emulator:8443/', EMULATOR_TLS_DIR: dir })
  const metadata = await json(`${emulator.url}/${tenantA}/v2.0/.well-known/openid-configuration`)
  t.equal(metadata.body['issuer'], `https://entra-emulator:8443/${tenantA}/v2.0`)
  t.equal(metadata.body['token_endpoint'], `https://entra-emulator:8443/${tenantA}/oauth2/v2.0/token`)
  const { X509Certificate } = await import('node:crypto')
  const { readFile } = await import('node:fs/promises')
  const server = new X509Certificate((await readFile(join(dir, 'server.pem'), 'utf8')).replace(/^[\s\S]*?(?=-----BEGIN CERTIFICATE)/, ''))
  t.equal(server.checkHost('entra-emulator'), 'entra-emulator')
  t.equal(server.checkHost('localhost'), 'localhost')
})

t.test('a bad registrations file: exit 1 with one line naming the file and the JSON path', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'emulator-bad-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'registrations.json')
  await writeFile(file, JSON.stringify({ tenants: [{ id: 'not-a-guid', displayName: 'T', applications: [] }] }))
  const err = await startService(t, 'entra-emulator', { EMULATOR_REGISTRATIONS: file }).then(() => undefined, (e: Error) => e)
  t.match(err?.message, /exited with 1 before listening/)
  const lines = err!.message.split('\n').slice(1).filter(Boolean)
  t.same(lines, [`entra-emulator: EMULATOR_REGISTRATIONS: ${file} is invalid at $.tenants[0].id: expected a GUID`])
})

t.test('a bad setting: exit 1 with one line naming it', async (t) => {
  const err = await startService(t, 'entra-emulator', { EMULATOR_TOKEN_LIFETIME_S: 'forever' }).then(() => undefined, (e: Error) => e)
  const lines = err!.message.split('\n').slice(1).filter(Boolean)
  t.same(lines, ['entra-emulator: EMULATOR_TOKEN_LIFETIME_S is invalid: expected token lifetime in seconds, 60 to 86400'])
})
