import t from 'tap'
import Fastify from 'fastify'
import { entraAuth } from '../src/entra-auth/plugin.js'
import { resolveOptions } from '../src/entra-auth/options.js'

const valid = { authorityHost: 'https://login.microsoftonline.com/', tenantId: 'E8FA9F70-FFD2-4739-A8A2-F5AF62D14161', audiences: ['api://x'] }

t.test('defaults follow Microsoft.IdentityModel and the design', async (t) => {
  t.match(resolveOptions(valid), {
    authorityHost: 'https://login.microsoftonline.com',
    tenantId: 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161',
    acceptedTenantIds: ['e8fa9f70-ffd2-4739-a8a2-f5af62d14161'],
    clockSkewMs: 300_000,
    realm: 'api://x',
    maxTokenLength: 16_384,
    cacheSize: 1000,
    refreshIntervalMs: 12 * 3600_000,
    refetchCooldownMs: 300_000,
    fetchTimeoutMs: 5000
  })
})

t.test('bad options fail registration with a message naming the option', async (t) => {
  const bad: Array<[object, RegExp]> = [
    [{ authorityHost: 'http://login.microsoftonline.com' }, /authorityHost must be an https URL/],
    [{ tenantId: 'common' }, /tenantId must be a GUID/],
    [{ audiences: [] }, /audiences must list/],
    [{ acceptedTenantIds: ['organizations'] }, /acceptedTenantIds must be GUIDs/],
    [{ clockSkewSeconds: -1 }, /clockSkewSeconds must be a non-negative number/]
  ]
  for (const [override, message] of bad) {
    const app = Fastify()
    app.register(entraAuth, { ...valid, ...override })
    await t.rejects(async () => { await app.ready() }, { message }, message.source)
    await app.close()
  }
})
