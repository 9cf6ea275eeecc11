import t from 'tap'
import { SettingsError } from '@entra-s2s/shared'
import { loadConfig } from '../src/config.js'

const A = 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161'
const B = '003cf140-8084-4438-844f-cbd58e5a6d98'
const base = { AZURE_TENANT_ID: A, API_AUDIENCES: 'api://63f3823d-1481-4d2c-b93c-c86eec1bd969, 63f3823d-1481-4d2c-b93c-c86eec1bd969' }

t.test('defaults', async (t) => {
  t.same(loadConfig(base), {
    host: 'localhost',
    port: 3001,
    logLevel: 'info',
    tenantId: A,
    authorityHost: 'https://login.microsoftonline.com',
    audiences: ['api://63f3823d-1481-4d2c-b93c-c86eec1bd969', '63f3823d-1481-4d2c-b93c-c86eec1bd969'],
    acceptedTenantIds: [A]
  })
  t.ok(Object.isFrozen(loadConfig(base)))
})

t.test('every setting', async (t) => {
  const config = loadConfig({ ...base, AZURE_TENANT_ID: A.toUpperCase(), AZURE_AUTHORITY_HOST: 'https://localhost:8443/', ACCEPTED_TENANT_IDS: `${A}, ${B.toUpperCase()},${A}`, PORT: '0', HOST: '0.0.0.0', LOG_LEVEL: 'warn' })
  t.match(config, { tenantId: A, authorityHost: 'https://localhost:8443', acceptedTenantIds: [A, B], port: 0, host: '0.0.0.0', logLevel: 'warn' })
})

t.test('one line naming the setting', async (t) => {
  const bad: Array<[Record<string, string>, string, RegExp]> = [
    [{ AZURE_TENANT_ID: A }, 'API_AUDIENCES', /^API_AUDIENCES is required: expected /],
    [{ ...base, API_AUDIENCES: ' , ' }, 'API_AUDIENCES', /^API_AUDIENCES is invalid/],
    [{ ...base, API_AUDIENCES: 'not an audience' }, 'API_AUDIENCES', /^API_AUDIENCES is invalid/],
    [{ ...base, API_AUDIENCES: 'api://x"y' }, 'API_AUDIENCES', /^API_AUDIENCES is invalid/],
    [{ API_AUDIENCES: 'api://x' }, 'AZURE_TENANT_ID', /^AZURE_TENANT_ID is required/],
    [{ ...base, AZURE_TENANT_ID: 'contoso.onmicrosoft.com' }, 'AZURE_TENANT_ID', /^AZURE_TENANT_ID is invalid: expected .*GUID/],
    [{ ...base, AZURE_AUTHORITY_HOST: 'http://login.microsoftonline.com' }, 'AZURE_AUTHORITY_HOST', /^AZURE_AUTHORITY_HOST is invalid: expected an https/],
    [{ ...base, ACCEPTED_TENANT_IDS: `${A},common` }, 'ACCEPTED_TENANT_IDS', /^ACCEPTED_TENANT_IDS is invalid/],
    [{ ...base, PORT: '70000' }, 'PORT', /^PORT is invalid/]
  ]
  for (const [env, setting, message] of bad) {
    const err = t.throws(() => loadConfig(env)) as SettingsError
    t.ok(err instanceof SettingsError, setting)
    t.equal(err.setting, setting)
    t.match(err.message, message)
    t.notMatch(err.message, /\n/)
  }
})
