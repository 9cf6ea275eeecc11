import { createHmac, createPublicKey, type JsonWebKey } from 'node:crypto'
import t from 'tap'
import { build } from './helpers/build.js'
import {
  API_APP_ID, CLIENT_ID, T0, TENANT_A, TENANT_B, b64, createMockEntra, createTestKey, mint, signToken, v1Issuer, v1Claims, v2Claims
} from './helpers/mock-entra.js'

const key = createTestKey('key-1')
const attacker = createTestKey('key-1')
const s = (ms: number) => Math.floor(ms / 1000)
const { exp: _exp, ...noExp } = v2Claims()
const publicPem = createPublicKey({ key: key.jwk as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString()

function hs256WithPublicKey (): string {
  const input = `${b64({ typ: 'JWT', alg: 'HS256', kid: key.kid })}.${b64(v2Claims())}`
  return `${input}.${createHmac('sha256', publicPem).update(input).digest('base64url')}`
}

function tamperedPayload (): string {
  const [header, , signature] = mint(key, v2Claims()).split('.')
  return `${header}.${b64(v2Claims(T0, TENANT_A, { roles: ['Forecast.Read', 'Forecast.Write'] }))}.${signature}`
}

const unsigned = (alg: string) => `${b64({ typ: 'JWT', alg, kid: key.kid })}.${b64(v2Claims())}.`

interface Case { name: string, authorization?: string | string[], status: number, code: string, error?: string, hint?: boolean }

const invalid = (name: string, token: string, code: string, hint = false): Case =>
  ({ name, authorization: `Bearer ${token}`, status: 401, code, error: 'invalid_token', hint })

const cases: Case[] = [
  { name: 'no Authorization header', status: 401, code: 'missing_token' },
  { name: 'another scheme (Basic)', authorization: 'Basic dXNlcjpwYXNz', status: 401, code: 'missing_token' },
  { name: 'Bearer without a token', authorization: 'Bearer', status: 400, code: 'invalid_request', error: 'invalid_request' },
  { name: 'Bearer and spaces', authorization: 'Bearer   ', status: 400, code: 'invalid_request', error: 'invalid_request' },
  { name: 'two tokens in one header', authorization: `Bearer ${mint(key, v2Claims())} x`, status: 400, code: 'invalid_request', error: 'invalid_request' },
  { name: 'a token with a forbidden character', authorization: 'Bearer a,b.c', status: 400, code: 'invalid_request', error: 'invalid_request' },
  { name: 'duplicated Authorization headers', authorization: [`Bearer ${mint(key, v2Claims())}`, 'Bearer other'], status: 400, code: 'invalid_request', error: 'invalid_request' },
  invalid('garbled token', 'not-a-jwt', 'malformed_token'),
  invalid('header that is not JSON', `${Buffer.from('{oops').toString('base64url')}.${b64(v2Claims())}.sig`, 'malformed_token'),
  invalid('payload that is not an object', `${b64({ alg: 'RS256', kid: key.kid })}.${b64([1])}.sig`, 'malformed_token'),
  invalid('alg none', unsigned('none'), 'unsupported_algorithm'),
  invalid('alg None', unsigned('None'), 'unsupported_algorithm'),
  invalid('alg NONE', unsigned('NONE'), 'unsupported_algorithm'),
  invalid('alg nOnE', unsigned('nOnE'), 'unsupported_algorithm'),
  invalid('HS256 signed with the public key', hs256WithPublicKey(), 'unsupported_algorithm'),
  invalid('PS256', mint(key, v2Claims(), { alg: 'PS256' }), 'unsupported_algorithm'),
  invalid('a foreign key under a known kid', mint(attacker, v2Claims()), 'bad_signature'),
  invalid('an embedded jwk header', mint(attacker, v2Claims(), { jwk: attacker.jwk }), 'embedded_key'),
  invalid('a jku header', mint(attacker, v2Claims(), { jku: 'https://attacker.example/keys' }), 'embedded_key'),
  invalid('an x5u header', mint(attacker, v2Claims(), { x5u: 'https://attacker.example/cert.pem' }), 'embedded_key'),
  invalid('an x5c header', mint(attacker, v2Claims(), { x5c: ['MIIB'] }), 'embedded_key'),
  invalid('a crit header', mint(key, v2Claims(), { crit: ['exp'] }), 'malformed_token'),
  invalid('a tampered payload', tamperedPayload(), 'bad_signature'),
  invalid('a stripped signature', `${mint(key, v2Claims()).split('.').slice(0, 2).join('.')}.`, 'bad_signature'),
  invalid('an unknown kid', mint(createTestKey('nobody-knows-me'), v2Claims()), 'unknown_key'),
  invalid('no kid', signToken({ typ: 'JWT', alg: 'RS256' }, v2Claims(), key.privateKey), 'unknown_key'),
  invalid('expired (past exp + skew)', mint(key, v2Claims(T0 - 3600_000 - 301_000)), 'expired'),
  invalid('nbf in the future (beyond the skew)', mint(key, v2Claims(T0, TENANT_A, { nbf: s(T0) + 301 })), 'not_yet_valid'),
  invalid('missing exp', mint(key, noExp), 'no_expiry'),
  invalid('exp that is not a number', mint(key, v2Claims(T0, TENANT_A, { exp: String(s(T0) + 60) })), 'malformed_token'),
  invalid('wrong iss', mint(key, v2Claims(T0, TENANT_A, { iss: `https://evil.example/${TENANT_A}/v2.0` })), 'bad_issuer'),
  invalid('v1 issuer of another tenant', mint(key, v1Claims(T0, TENANT_A, { iss: v1Issuer(TENANT_B) })), 'bad_issuer'),
  invalid('no tid', mint(key, v2Claims(T0, TENANT_A, { tid: undefined })), 'bad_issuer'),
  invalid('a tenant B token signed by the shared key', mint(key, v2Claims(T0, TENANT_B)), 'wrong_tenant'),
  invalid('wrong aud', mint(key, v2Claims(T0, TENANT_A, { aud: 'api://someone-else' })), 'bad_audience'),
  invalid('aud is Microsoft Graph', mint(key, v2Claims(T0, TENANT_A, { aud: 'https://graph.microsoft.com' })), 'bad_audience', true),
  invalid('a Graph token (unverifiable signature)', mint(attacker, v2Claims(T0, TENANT_A, { aud: '00000003-0000-0000-c000-000000000000' }), { nonce: 'x' }), 'bad_signature', true),
  invalid('a delegated token (scp, no idtyp)', mint(key, v2Claims(T0, TENANT_A, { idtyp: undefined, scp: 'Forecast.Read', sub: 'pairwise' })), 'not_app_token'),
  invalid('no azp', mint(key, v2Claims(T0, TENANT_A, { azp: undefined })), 'not_app_token'),
  { name: 'no roles', authorization: `Bearer ${mint(key, v2Claims(T0, TENANT_A, { roles: undefined }))}`, status: 403, code: 'missing_role', error: 'insufficient_scope' },
  invalid('an oversized token', `${mint(key, v2Claims(T0, TENANT_A, { pad: 'x'.repeat(16 * 1024) }))}`, 'token_too_large')
]

t.test('every refusal: status, RFC 6750 challenge, problem body, one log line, nothing echoed', async (t) => {
  const { app, logs } = await build(t, createMockEntra([key]))
  for (const c of cases) {
    const before = logs.length
    const headers: Record<string, string | string[]> = c.authorization === undefined ? {} : { authorization: c.authorization }
    const res = await app.inject({ url: '/api/forecast', headers })
    t.equal(res.statusCode, c.status, `${c.name}: status`)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', `${c.name}: content type`)
    const body = res.json()
    t.equal(body.code, c.code, `${c.name}: code`)
    t.same(Object.keys(body).sort(), ['code', 'detail', 'status', 'title', 'type'], `${c.name}: problem members`)
    t.equal(body.status, c.status)
    const challenge = String(res.headers['www-authenticate'])
    const realm = `Bearer realm="${API_APP_ID}"`
    if (c.error === undefined) t.equal(challenge, realm, `${c.name}: challenge without error`)
    else t.ok(challenge.startsWith(`${realm}, error="${c.error}", error_description="`), `${c.name}: challenge ${challenge}`)
    if (c.code === 'missing_role') t.match(challenge, /, scope="Forecast\.Read"$/)
    t.equal(/Microsoft Graph/.test(body.detail), c.hint === true, `${c.name}: Graph hint`)
    const token = Array.isArray(c.authorization) ? c.authorization[0] : c.authorization
    const secret = token?.split('.')[1]
    if (secret !== undefined && secret.length > 8) t.notOk(res.body.includes(secret) || JSON.stringify(logs).includes(secret), `${c.name}: token never echoed or logged`)
    const lines = logs.slice(before)
    t.equal(lines.length, 1, `${c.name}: one log line`)
    t.match(lines[0], { level: 30, msg: 'token rejected', reason: c.code }, `${c.name}: log line`)
  }
})

t.test('the rejection log names appid and tid when the token is readable', async (t) => {
  const { app, logs } = await build(t, createMockEntra([key]))
  await app.inject({ url: '/api/forecast', headers: { authorization: `Bearer ${mint(key, v2Claims(T0, TENANT_B))}` } })
  t.match(logs.at(-1), { reason: 'wrong_tenant', appid: CLIENT_ID, tid: TENANT_B })
  await app.inject({ url: '/api/forecast', headers: { authorization: `Bearer ${mint(key, v2Claims(T0, TENANT_B, { azp: 'not a guid <script>' }))}` } })
  t.match(logs.at(-1), { reason: 'wrong_tenant', tid: TENANT_B })
  t.notOk('appid' in (logs.at(-1) ?? {}), 'claims that are not GUIDs are not logged')
})
