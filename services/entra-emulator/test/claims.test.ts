import t from 'tap'
import { accessTokenClaims, accessTokenHeader, issuerOf, refreshIn, tokenResponse, type TokenFacts } from '../src/claims.js'
import { principalId, rolesFor } from '../src/directory.js'
import { parseRegistrations } from '../src/registrations.js'

const facts: TokenFacts = {
  version: 2,
  issuerBase: 'https://localhost:8443',
  tenantId: 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161',
  clientAppId: '3f6e7393-8081-49b4-b995-442cc17f830a',
  clientPrincipalId: principalId('e8fa9f70-ffd2-4739-a8a2-f5af62d14161', '3f6e7393-8081-49b4-b995-442cc17f830a'),
  audience: '63f3823d-1481-4d2c-b93c-c86eec1bd969',
  roles: ['Forecast.Read'],
  auth: 'secret',
  issuedAt: 1_700_000_000,
  lifetimeS: 3599,
  random: (bytes) => 'r'.repeat(bytes)
}

t.test('v2 app-only claims', async (t) => {
  const claims = accessTokenClaims(facts)
  t.same(Object.keys(claims), ['aud', 'iss', 'iat', 'nbf', 'exp', 'aio', 'azp', 'azpacr', 'idtyp', 'oid', 'rh', 'roles', 'sub', 'tid', 'uti', 'ver'])
  t.match(claims, {
    aud: facts.audience,
    iss: 'https://localhost:8443/e8fa9f70-ffd2-4739-a8a2-f5af62d14161/v2.0',
    iat: 1_700_000_000,
    nbf: 1_700_000_000,
    exp: 1_700_003_599,
    azp: facts.clientAppId,
    azpacr: '1',
    idtyp: 'app',
    oid: facts.clientPrincipalId,
    sub: facts.clientPrincipalId,
    tid: facts.tenantId,
    roles: ['Forecast.Read'],
    ver: '2.0',
    uti: 'r'.repeat(16)
  })
  t.same(accessTokenHeader(2, 'kid1'), { typ: 'JWT', alg: 'RS256', kid: 'kid1' })
})

t.test('v1 app-only claims: appid/appidacr/idp, no azp; roles omitted when none; certificate acr 2', async (t) => {
  const claims = accessTokenClaims({ ...facts, version: 1, roles: [], auth: 'certificate', audience: 'api://x' })
  t.equal(claims['iss'], 'https://localhost:8443/e8fa9f70-ffd2-4739-a8a2-f5af62d14161/')
  t.equal(claims['idp'], claims['iss'])
  t.equal(claims['appid'], facts.clientAppId)
  t.equal(claims['appidacr'], '2')
  t.equal(claims['ver'], '1.0')
  t.equal(claims['aud'], 'api://x')
  t.notOk('roles' in claims)
  t.notOk('azp' in claims)
  t.same(accessTokenHeader(1, 'kid1'), { typ: 'JWT', alg: 'RS256', x5t: 'kid1', kid: 'kid1' })
  t.equal(issuerOf(1, 'https://h', 't'), 'https://h/t/')
  t.equal(issuerOf(2, 'https://h', 't'), 'https://h/t/v2.0')
})

t.test('token responses: v2 numbers, v1 strings, refresh_in only over 2 h, never scope', async (t) => {
  t.same(tokenResponse(2, 'tok', facts, 'r'), { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: 'tok' })
  t.same(tokenResponse(1, 'tok', facts, 'api://r'), {
    token_type: 'Bearer', expires_in: '3599', ext_expires_in: '3599', expires_on: '1700003599', not_before: '1700000000', resource: 'api://r', access_token: 'tok'
  })
  t.equal(tokenResponse(2, 'tok', { ...facts, lifetimeS: 86_400 }, 'r')['refresh_in'], 43_200)
  t.equal(tokenResponse(1, 'tok', { ...facts, lifetimeS: 86_400 }, 'r')['refresh_in'], '43200')
  t.equal(refreshIn(7200), undefined)
  t.equal(refreshIn(7201), 3600)
  t.notOk('scope' in tokenResponse(2, 'tok', facts, 'r'))
})

t.test('principal ids are stable GUIDs per (tenant, app) and differ across tenants', async (t) => {
  const a = principalId('tenant-a', 'app')
  t.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  t.equal(principalId('tenant-a', 'app'), a)
  t.not(principalId('tenant-b', 'app'), a)
})

t.test('roles: only assigned, defined, enabled roles open to applications', async (t) => {
  const { tenants } = parseRegistrations({
    tenants: [{
      id: '00000000-0000-0000-0000-000000000001',
      displayName: 'T',
      applications: [
        {
          appId: '00000000-0000-0000-0000-00000000000a',
          displayName: 'API',
          appRoles: [
            { id: '00000000-0000-0000-0000-0000000000a1', value: 'A' },
            { id: '00000000-0000-0000-0000-0000000000a2', value: 'Off', isEnabled: false },
            { id: '00000000-0000-0000-0000-0000000000a3', value: 'UsersOnly', allowedMemberTypes: ['User'] },
            { id: '00000000-0000-0000-0000-0000000000a4', value: 'NotAssigned' }
          ]
        },
        {
          appId: '00000000-0000-0000-0000-00000000000b',
          displayName: 'Client',
          appRoleAssignments: ['A', 'Off', 'UsersOnly'].map((appRole) => ({ resourceAppId: '00000000-0000-0000-0000-00000000000a', appRole }))
        }
      ]
    }]
  })
  const [api, client] = tenants[0]!.applications
  t.same(rolesFor(client!, api!), ['A'])
  t.same(rolesFor(api!, api!), [])
})
