import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { SettingsError } from '@entra-s2s/shared'
import { bundledRegistrations, loadConfig } from '../src/config.js'
import { RegistrationsError, parseRegistrations } from '../src/registrations.js'

const tenant = (applications: unknown[]) => ({ tenants: [{ id: 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161', displayName: 'T', applications }] })
const app = (extra: Record<string, unknown> = {}) => ({ appId: '3f6e7393-8081-49b4-b995-442cc17f830a', displayName: 'A', ...extra })

const problemAt = (raw: unknown): string | undefined => {
  try {
    parseRegistrations(raw)
    return undefined
  } catch (err) {
    return err instanceof RegistrationsError ? err.message : `unexpected ${String(err)}`
  }
}

t.test('defaults follow Entra: single-tenant, v1 tokens, enabled application roles', async (t) => {
  const parsed = parseRegistrations(tenant([app({ appRoles: [{ id: '13289388-312a-4a2c-ac75-93faa85051ab', value: 'R' }] })]))
  const [only] = parsed.tenants[0]!.applications
  t.equal(only!.signInAudience, 'AzureADMyOrg')
  t.equal(only!.accessTokenAcceptedVersion, null)
  t.same(only!.appRoles, [{ id: '13289388-312a-4a2c-ac75-93faa85051ab', value: 'R', allowedMemberTypes: ['Application'], isEnabled: true }])
  t.same(only!.passwordCredentials, [])
})

t.test('each problem is reported with its JSON path', async (t) => {
  const cases: Array<[unknown, string]> = [
    [[], '$: expected an object'],
    [{}, '$.tenants: expected an array'],
    [{ tenants: [] }, '$.tenants: expected at least one tenant'],
    [{ tenants: [{ id: 'nope', displayName: 'T', applications: [] }] }, '$.tenants[0].id: expected a GUID'],
    [{ tenants: [{ id: 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161', applications: [] }] }, '$.tenants[0].displayName: expected a non-empty string'],
    [tenant([app({ appId: 42 })]), '$.tenants[0].applications[0].appId: expected a GUID'],
    [tenant([app({ signInAudience: 'Everyone' })]), '$.tenants[0].applications[0].signInAudience: expected one of'],
    [tenant([app({ accessTokenAcceptedVersion: 3 })]), '$.tenants[0].applications[0].accessTokenAcceptedVersion: expected null, 1 or 2'],
    [tenant([app({ identifierUris: 'api://x' })]), '$.tenants[0].applications[0].identifierUris: expected an array'],
    [tenant([app({ passwordCredentials: [{ keyId: '87e2988b-906f-4eaa-be89-4a1bf2ab894a', secretText: 's', endDateTime: 'soon' }] })]),
      '$.tenants[0].applications[0].passwordCredentials[0].endDateTime: expected an ISO 8601 date-time'],
    [tenant([app({ passwordCredentials: [{ keyId: '87e2988b-906f-4eaa-be89-4a1bf2ab894a' }] })]),
      '$.tenants[0].applications[0].passwordCredentials[0].secretText: expected a non-empty string'],
    [tenant([app({ keyCredentials: [{ keyId: '87e2988b-906f-4eaa-be89-4a1bf2ab894a', type: 'Symmetric', certificatePath: 'x' }] })]),
      '$.tenants[0].applications[0].keyCredentials[0].type: expected "AsymmetricX509Cert"'],
    [tenant([app({ appRoles: [{ id: '13289388-312a-4a2c-ac75-93faa85051ab', value: 'R', isEnabled: 'yes' }] })]),
      '$.tenants[0].applications[0].appRoles[0].isEnabled: expected true or false'],
    [tenant([app(), app()]), '$.tenants[0].applications[1].appId: duplicate appId'],
    [tenant([app({ appRoleAssignments: [{ resourceAppId: '63f3823d-1481-4d2c-b93c-c86eec1bd969', appRole: 'R' }] })]),
      '$.tenants[0].applications[0].appRoleAssignments[0].resourceAppId: no application 63f3823d-1481-4d2c-b93c-c86eec1bd969 in this file'],
    [tenant([app({ appRoleAssignments: [{ resourceAppId: '3f6e7393-8081-49b4-b995-442cc17f830a', appRole: 'Missing' }] })]),
      '$.tenants[0].applications[0].appRoleAssignments[0].appRole: application 3f6e7393-8081-49b4-b995-442cc17f830a has no app role "Missing"']
  ]
  for (const [raw, expected] of cases) t.match(problemAt(raw), expected, expected)
})

t.test('the bundled demo registrations load', async (t) => {
  const config = await loadConfig({})
  t.equal(config.registrationsPath, bundledRegistrations)
  t.equal(config.port, 8443)
  t.equal(config.tokenLifetimeS, 3599)
  t.equal(config.admin, true)
  t.equal(config.publicUrl, undefined)
  const client = config.directory.application('e8fa9f70-ffd2-4739-a8a2-f5af62d14161', '3f6e7393-8081-49b4-b995-442cc17f830a')
  t.equal(client?.certificates.length, 1, 'the demo certificate is read')
  t.ok(config.directory.resource('003cf140-8084-4438-844f-cbd58e5a6d98', 'api://63f3823d-1481-4d2c-b93c-c86eec1bd969'), 'multi-tenant resource seen from tenant B')
  t.notOk(config.directory.application('003cf140-8084-4438-844f-cbd58e5a6d98', '3f6e7393-8081-49b4-b995-442cc17f830a'), 'single-tenant client not seen from tenant B')
})

t.test('a bad file stops loadConfig with one line naming the file, the path and the problem', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'emulator-registrations-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const expectLine = async (content: string | undefined, pattern: RegExp) => {
    const file = join(dir, `r${Math.random()}.json`)
    if (content !== undefined) await writeFile(file, content)
    const err = await loadConfig({ EMULATOR_REGISTRATIONS: file }).then(() => undefined, (e: unknown) => e)
    t.ok(err instanceof SettingsError, 'SettingsError')
    t.equal((err as SettingsError).setting, 'EMULATOR_REGISTRATIONS')
    t.notMatch((err as Error).message, /\n/, 'one line')
    t.match((err as Error).message, file)
    t.match((err as Error).message, pattern)
  }
  await expectLine('{ "tenants": [', /at \$: not readable JSON/)
  await expectLine(undefined, /at \$: file not found/)
  await expectLine(JSON.stringify(tenant([app({ keyCredentials: [{ keyId: '87e2988b-906f-4eaa-be89-4a1bf2ab894a', certificatePath: 'missing.pem' }] })])),
    /at \$\.tenants\[0\]\.applications\[0\]\.keyCredentials\[0\]\.certificatePath: cannot read .*missing\.pem/)
  await writeFile(join(dir, 'empty.pem'), 'no certificate here')
  await expectLine(JSON.stringify(tenant([app({ keyCredentials: [{ keyId: '87e2988b-906f-4eaa-be89-4a1bf2ab894a', certificatePath: 'empty.pem' }] })])),
    /certificatePath: .*empty\.pem holds no PEM certificate/)
  const demo = JSON.parse(await readFile(bundledRegistrations, 'utf8'))
  demo.tenants[1].applications[0].appRoleAssignments[0].appRole = 'Forecast.Delete'
  await expectLine(JSON.stringify(demo), /at \$\.tenants\[1\]\.applications\[0\]\.appRoleAssignments\[0\]\.appRole: .*no app role "Forecast\.Delete"/)
})

t.test('settings errors name the setting', async (t) => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ EMULATOR_PUBLIC_URL: 'http://localhost:8443' }, /^EMULATOR_PUBLIC_URL is invalid: expected an https:\/\/ URL$/],
    [{ EMULATOR_TOKEN_LIFETIME_S: '10' }, /^EMULATOR_TOKEN_LIFETIME_S is invalid/],
    [{ EMULATOR_ADMIN: 'maybe' }, /^EMULATOR_ADMIN is invalid/],
    [{ PORT: '70000' }, /^PORT is invalid/]
  ]
  for (const [env, pattern] of cases) {
    const err = await loadConfig(env).then(() => undefined, (e: unknown) => e)
    t.ok(err instanceof SettingsError)
    t.match((err as Error).message, pattern)
  }
})
