import { generateKeyPairSync } from 'node:crypto'
import t from 'tap'
import { AadstsError } from '../src/aadsts-error.js'
import { ASSERTION_SKEW_S, checkAssertion, checkSecret } from '../src/credentials.js'
import { createDirectory, type Application } from '../src/directory.js'
import { certificateFromPem } from '../src/load-registrations.js'
import { parseRegistrations } from '../src/registrations.js'
import { clientCredential, resourceFromScope, tokenParams } from '../src/token-params.js'
import { daemon, demoPem, makeAssertion } from './helpers.js'
import { readFileSync } from 'node:fs'

const NOW = Date.parse('2030-06-01T12:00:00Z')
const nowS = NOW / 1000
const aud = 'https://localhost:8443/e8fa9f70-ffd2-4739-a8a2-f5af62d14161/oauth2/v2.0/token'
const context = { now: NOW, audiences: [aud], skewS: ASSERTION_SKEW_S }

const registrations = parseRegistrations({
  tenants: [{
    id: 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161',
    displayName: 'T',
    applications: [{
      appId: daemon.appId,
      displayName: 'Daemon',
      passwordCredentials: [
        { keyId: '00000000-0000-0000-0000-000000000001', secretText: 'current', endDateTime: '2031-01-01T00:00:00Z' },
        { keyId: '00000000-0000-0000-0000-000000000002', secretText: 'old', endDateTime: '2030-06-01T12:00:00Z' },
        { keyId: '00000000-0000-0000-0000-000000000003', secretText: 'future', startDateTime: '2030-07-01T00:00:00Z' }
      ],
      keyCredentials: [{ keyId: '00000000-0000-0000-0000-000000000004', certificatePath: 'demo.pem' }]
    }]
  }]
})
const certificates = new Map([['$.tenants[0].applications[0].keyCredentials[0].certificatePath', certificateFromPem(readFileSync(demoPem, 'utf8'), '00000000-0000-0000-0000-000000000004')]])
const app = createDirectory(registrations, certificates).application('e8fa9f70-ffd2-4739-a8a2-f5af62d14161', daemon.appId) as Application

const codeOf = (fn: () => unknown): number | undefined => {
  try {
    fn()
    return undefined
  } catch (err) {
    return err instanceof AadstsError ? err.code : -1
  }
}

t.test('secrets: in-force match, expired (at endDateTime exactly), not yet valid, wrong', async (t) => {
  t.equal(checkSecret(app, 'current', NOW), 'secret')
  t.equal(codeOf(() => checkSecret(app, 'old', NOW)), 7000222)
  t.equal(checkSecret(app, 'old', NOW - 1), 'secret')
  t.equal(codeOf(() => checkSecret(app, 'future', NOW)), 7000215)
  t.equal(codeOf(() => checkSecret(app, 'Current', NOW)), 7000215)
  t.equal(codeOf(() => checkSecret(app, '', NOW)), 7000215)
})

t.test('assertions against a pinned clock', async (t) => {
  t.equal(checkAssertion(app, makeAssertion({ aud, nowS }), context), 'certificate')
  t.equal(checkAssertion(app, makeAssertion({ aud, nowS, alg: 'PS256' }), context), 'certificate')
  t.equal(checkAssertion(app, makeAssertion({ aud, nowS: nowS + ASSERTION_SKEW_S }), context), 'certificate', 'nbf within the skew ahead')
  t.equal(codeOf(() => checkAssertion(app, makeAssertion({ aud, nowS: nowS + ASSERTION_SKEW_S + 1 }), context)), 700024, 'nbf beyond the skew')
  t.equal(checkAssertion(app, makeAssertion({ aud, nowS, claims: { exp: nowS - ASSERTION_SKEW_S + 1 } }), context), 'certificate', 'exp within the skew behind')
  t.equal(codeOf(() => checkAssertion(app, makeAssertion({ aud, nowS, claims: { exp: nowS - ASSERTION_SKEW_S } }), context)), 700024, 'expired beyond the skew')
  t.equal(checkAssertion(app, makeAssertion({ aud, nowS, claims: { nbf: undefined } }), context), 'certificate', 'missing nbf means valid since 1970')
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  t.equal(codeOf(() => checkAssertion(app, makeAssertion({ aud, nowS, key: other }), context)), 700027)
  t.equal(codeOf(() => checkAssertion(app, makeAssertion({ aud, nowS, header: { alg: 'HS256' } }), context)), 700027)
  t.equal(codeOf(() => checkAssertion(app, makeAssertion({ aud, nowS, header: { x5t: 'unknown' } }), context)), 700027)
  t.equal(codeOf(() => checkAssertion(app, makeAssertion({ aud: 'https://elsewhere/token', nowS }), context)), 50012)
  t.equal(codeOf(() => checkAssertion(app, makeAssertion({ aud, nowS, claims: { sub: 'x' } }), context)), 50048)
  t.equal(codeOf(() => checkAssertion(app, 'a.b', context)), 50027)
  t.equal(codeOf(() => checkAssertion(app, 'e30.e30.', context)), 700027, 'empty header and payload: no thumbprint')
  t.equal(codeOf(() => checkAssertion(app, 'bm90IGpzb24.e30.', context)), 50027, 'header not JSON')
})

t.test('form parameters', async (t) => {
  t.same([...tokenParams({ a: '1', b: '' })], [['a', '1'], ['b', '']])
  t.same([...tokenParams(undefined)], [])
  t.equal(codeOf(() => tokenParams({ scope: ['a', 'b'] })), 9002313, 'a repeated parameter')
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`
  t.same(clientCredential(new Map([['client_id', 'c'], ['client_secret', 's']]), undefined), { clientId: 'c', credential: { kind: 'secret', secret: 's' } })
  t.same(clientCredential(new Map(), basic('c', 'a%3Ab+c')), { clientId: 'c', credential: { kind: 'secret', secret: 'a:b c' } }, 'Basic parts are form-urlencoded')
  t.equal(codeOf(() => clientCredential(new Map([['client_id', 'other']]), basic('c', 's'))), 9002313, 'Basic and form disagree')
  t.same(clientCredential(new Map([['client_id', 'c']]), undefined), { clientId: 'c', credential: { kind: 'none' } })
  t.same(clientCredential(new Map([['client_id', 'c']]), 'Bearer x'), { clientId: 'c', credential: { kind: 'none' } })
})

t.test('scopes', async (t) => {
  t.equal(resourceFromScope('api://x/.default'), 'api://x')
  t.equal(resourceFromScope('  api://x/.default openid offline_access '), 'api://x')
  t.equal(resourceFromScope('api://x/.default api://x/.default'), 'api://x')
  t.equal(resourceFromScope('https://graph.microsoft.com//.default'), 'https://graph.microsoft.com/')
  t.equal(codeOf(() => resourceFromScope('api://x/read')), 1002012)
  t.equal(codeOf(() => resourceFromScope('api://x/.default api://y/.default')), 700022)
  t.equal(codeOf(() => resourceFromScope('openid')), 70011)
  t.equal(codeOf(() => resourceFromScope('/.default')), 70011)
})
