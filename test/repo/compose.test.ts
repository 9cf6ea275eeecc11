import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { repoRoot } from '../helpers/start-service.js'

const run = promisify(execFile)
const TIMEOUT_MS = 30_000
// The settings docker-compose.entra.yml insists on (`${NAME:?…}`): placeholders are enough to validate it.
const entraRequired = {
  AZURE_TENANT_ID: '00000000-0000-0000-0000-000000000001',
  AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000002',
  API_AUDIENCES: 'api://00000000-0000-0000-0000-000000000003',
  RESOURCE_API_SCOPE: 'api://00000000-0000-0000-0000-000000000003/.default',
  CLIENT_CREDENTIAL_FILE: './client.pem'
}

// An empty env file: a developer's .env must not change the outcome (docker-compose 1.29 refuses /dev/null).
const scratch = mkdtempSync(join(tmpdir(), 'compose-test-'))
const emptyEnvFile = join(scratch, 'empty.env')
writeFileSync(emptyEnvFile, '')
t.teardown(() => rmSync(scratch, { recursive: true, force: true }))

interface Result { code: number, stdout: string, stderr: string }

// Only PATH: the caller's shell must not change the outcome either.
async function compose (file: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
  try {
    const { stdout, stderr } = await run('docker-compose', ['--env-file', emptyEnvFile, '-f', file, ...args], {
      cwd: repoRoot, env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: TIMEOUT_MS
    })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const { code, stdout, stderr } = err as { code: number | string, stdout?: string, stderr?: string }
    if (code === 'ENOENT') throw err
    return { code: typeof code === 'number' ? code : -1, stdout: stdout ?? '', stderr: stderr ?? '' }
  }
}

const available = await run('docker-compose', ['version', '--short'], { timeout: TIMEOUT_MS }).then(() => true, () => false)
if (!available && process.env['CI']) t.fail('docker-compose is missing: .ci/run installs it from Debian (apt-get install docker-compose)')
const skip = available ? false : 'docker-compose is not installed (apt-get install docker-compose); CI installs it'

const composeFiles = readdirSync(repoRoot).filter((name) => /^docker-compose.*\.ya?ml$/.test(name)).sort()

t.test('there are the two compose files', async (t) => {
  t.same(composeFiles, ['docker-compose.entra.yml', 'docker-compose.yml'])
})

t.test('each compose file validates (docker-compose config -q)', { skip }, async (t) => {
  for (const file of composeFiles) {
    const result = await compose(file, ['config', '-q'], file === 'docker-compose.entra.yml' ? entraRequired : {})
    t.equal(result.code, 0, `${file} is valid`)
    t.equal(result.stderr, '', `${file}: no warnings`)
  }
})

t.test('the emulator demo: three services, health-gated start, only client-api published', { skip }, async (t) => {
  const services = await compose('docker-compose.yml', ['config', '--services'])
  t.same(services.stdout.trim().split('\n').sort(), ['client-api', 'entra-emulator', 'resource-api'])
  const { stdout: config } = await compose('docker-compose.yml', ['config'])
  t.equal(config.match(/condition: service_healthy/g)?.length, 3, 'resource-api waits for the emulator; client-api for both')
  t.equal(config.match(/published:/g)?.length, 1, 'one published port')
  t.match(config, /published: 3000\n\s+target: 3000/)
  t.equal(config.match(/EMULATOR_PUBLIC_URL: https:\/\/entra-emulator:8443/g)?.length, 1)
  t.equal(config.match(/AZURE_AUTHORITY_HOST: https:\/\/entra-emulator:8443/g)?.length, 2, 'both APIs use the emulator')
  t.equal(config.match(/NODE_EXTRA_CA_CERTS: \/certs\/ca.pem/g)?.length, 2, 'both APIs trust the dev CA')
  t.equal(config.match(/- certs:\/certs:ro/g)?.length, 2, 'the APIs read the CA volume read-only')
  t.equal(config.match(/user: root|privileged: true/g), null)

  const moved = await compose('docker-compose.yml', ['config'], { CLIENT_PORT: '3999', AZURE_CLIENT_ID: '902007c9-2b1b-4fd6-8f74-741dba639ecd' })
  t.match(moved.stdout, /published: 3999/, 'CLIENT_PORT moves the published port')
  t.match(moved.stdout, /AZURE_CLIENT_ID: 902007c9-2b1b-4fd6-8f74-741dba639ecd/, 'settings come from the environment / .env')
})

t.test('the real-Entra file: no emulator, required settings enforced, credential as a secret file', { skip }, async (t) => {
  const services = await compose('docker-compose.entra.yml', ['config', '--services'], entraRequired)
  t.same(services.stdout.trim().split('\n').sort(), ['client-api', 'resource-api'])
  const { stdout: config } = await compose('docker-compose.entra.yml', ['config'], entraRequired)
  t.match(config, /AZURE_AUTHORITY_HOST: https:\/\/login\.microsoftonline\.com/)
  t.match(config, /AZURE_CLIENT_CERTIFICATE_PATH: \/run\/secrets\/client-credential/)
  t.notMatch(config, /AZURE_CLIENT_SECRET:|NODE_EXTRA_CA_CERTS|entra-emulator/)

  for (const missing of Object.keys(entraRequired)) {
    const env: Record<string, string> = { ...entraRequired }
    delete env[missing]
    const result = await compose('docker-compose.entra.yml', ['config', '-q'], env)
    t.not(result.code, 0, `refuses to start without ${missing}`)
    t.match(result.stderr, `set ${missing} (`, `names ${missing}`)
  }
})
