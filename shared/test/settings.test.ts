import t from 'tap'
import { loadSettings, SettingsError, GUID_PATTERN, httpsUrl, commaList, portSetting } from '../src/settings.js'

const schema = {
  required: ['AZURE_TENANT_ID'],
  properties: {
    AZURE_TENANT_ID: { type: 'string', pattern: GUID_PATTERN, description: 'the directory (tenant) ID, a GUID' },
    PORT: portSetting(3001)
  }
} as const

t.test('valid settings are coerced, defaulted and frozen', async (t) => {
  const settings = loadSettings<{ AZURE_TENANT_ID: string, PORT: number }>(schema, { AZURE_TENANT_ID: 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161' })
  t.same(settings, { AZURE_TENANT_ID: 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161', PORT: 3001 })
  t.ok(Object.isFrozen(settings))
  t.equal(loadSettings<{ PORT: number }>(schema, { AZURE_TENANT_ID: 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161', PORT: '0' }).PORT, 0)
})

t.test('a missing setting is one line naming it', async (t) => {
  t.throws(() => loadSettings(schema, { AZURE_TENANT_ID: '  ' }),
    new SettingsError('AZURE_TENANT_ID', 'AZURE_TENANT_ID is required: expected the directory (tenant) ID, a GUID'))
})

t.test('an invalid setting names it and never echoes the value', async (t) => {
  const err = t.throws(() => loadSettings(schema, { AZURE_TENANT_ID: 'not-a-guid-secret' })) as SettingsError
  t.equal(err.setting, 'AZURE_TENANT_ID')
  t.equal(err.message, 'AZURE_TENANT_ID is invalid: expected the directory (tenant) ID, a GUID')
  t.notMatch(err.message, /not-a-guid-secret/)
  t.match((t.throws(() => loadSettings(schema, { AZURE_TENANT_ID: 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161', PORT: '70000' })) as Error).message, /^PORT is invalid/)
})

t.test('httpsUrl and commaList', async (t) => {
  t.equal(httpsUrl('AZURE_AUTHORITY_HOST', 'https://login.microsoftonline.com/'), 'https://login.microsoftonline.com')
  t.throws(() => httpsUrl('AZURE_AUTHORITY_HOST', 'http://localhost:8443'), { message: 'AZURE_AUTHORITY_HOST is invalid: expected an https:// URL' })
  t.equal((t.throws(() => httpsUrl('AZURE_AUTHORITY_HOST', 'nope')) as SettingsError).setting, 'AZURE_AUTHORITY_HOST')
  t.same(commaList(' a, b ,,c '), ['a', 'b', 'c'])
  t.same(commaList(undefined), [])
})
