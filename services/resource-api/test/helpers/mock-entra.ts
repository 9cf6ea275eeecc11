import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto'
import { MockAgent } from 'undici'

export const AUTHORITY = 'https://login.example.test'
export const TENANT_A = 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161'
export const TENANT_B = '003cf140-8084-4438-844f-cbd58e5a6d98'
export const API_APP_ID = '63f3823d-1481-4d2c-b93c-c86eec1bd969'
export const API_APP_ID_URI = `api://${API_APP_ID}`
export const CLIENT_ID = '3f6e7393-8081-49b4-b995-442cc17f830a'
export const CLIENT_OID = 'a4b3c2d1-0000-4000-8000-000000000001'
/** 2026-11-27T08:00:00Z, the pinned clock of the unit tests. */
export const T0 = Date.UTC(2026, 10, 27, 8, 0, 0)

export const v2Issuer = (tid: string) => `${AUTHORITY}/${tid}/v2.0`
export const v1Issuer = (tid: string) => `https://sts.windows.net/${tid}/`

/** A test signing key with its JWK as the mock provider publishes it. */
export interface TestKey {
  readonly kid: string
  readonly privateKey: KeyObject
  readonly jwk: Record<string, unknown>
}

/** An RSA key; `extra` adds JWK members (e.g. `issuer`, `alg`, `use`). */
export function createTestKey (kid: string, extra: Record<string, unknown> = {}, modulusLength = 2048): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength })
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', x5t: kid, ...extra } }
}

/** A compact JWS over `header` and `payload`, RS256-signed with `key` (the header is used as given). */
export function signToken (header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`
}

export const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')

const seconds = (ms: number) => Math.floor(ms / 1000)

/** Claims of an Entra v2 app-only token issued in `tid` at `at`, valid one hour. */
export function v2Claims (at = T0, tid = TENANT_A, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    aud: API_APP_ID,
    iss: v2Issuer(tid),
    iat: seconds(at) - 60,
    nbf: seconds(at) - 60,
    exp: seconds(at) + 3540,
    aio: 'k2BgYDhQ',
    azp: CLIENT_ID,
    azpacr: '1',
    idtyp: 'app',
    oid: CLIENT_OID,
    rh: '0.AAAA',
    roles: ['Forecast.Read'],
    sub: CLIENT_OID,
    tid,
    uti: randomUUID(),
    ver: '2.0',
    ...overrides
  }
}

/** Claims of an Entra v1 app-only token (appid, sts.windows.net issuer, App ID URI audience). */
export function v1Claims (at = T0, tid = TENANT_A, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { azp, azpacr, ...rest } = v2Claims(at, tid)
  return { ...rest, aud: API_APP_ID_URI, iss: v1Issuer(tid), idp: v1Issuer(tid), appid: azp, appidacr: azpacr, ver: '1.0', ...overrides }
}

/** A token signed by `key` with Entra's header shape. */
export function mint (key: TestKey, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  return signToken({ typ: 'JWT', alg: 'RS256', x5t: key.kid, kid: key.kid, ...header }, claims, key.privateKey)
}

/** The mock Entra behind an undici MockAgent: v2 and v1 documents per tenant, one key set, counters and faults. */
export interface MockEntra {
  readonly agent: MockAgent
  readonly counts: { metadata: number, jwks: number }
  /** Publishes these keys from now on. */
  setKeys: (keys: readonly TestKey[]) => void
  /** Makes the JWKS endpoint answer this status (or recover with undefined). */
  faultJwks: (status: number | undefined) => void
  /** Makes the metadata endpoints answer this status (or recover with undefined). */
  faultMetadata: (status: number | undefined) => void
}

export function createMockEntra (keys: readonly TestKey[], tenants = [TENANT_A, TENANT_B]): MockEntra {
  const agent = new MockAgent()
  agent.disableNetConnect()
  const counts = { metadata: 0, jwks: 0 }
  let published = keys
  let jwksFault: number | undefined
  let metadataFault: number | undefined

  const route = (path: string): { statusCode: number, data: object } => {
    const [tenant = '', ...rest] = path.slice(1).split('/')
    const tail = rest.join('/')
    if (tail === 'discovery/v2.0/keys' || tail === 'discovery/keys') {
      counts.jwks += 1
      if (jwksFault !== undefined) return { statusCode: jwksFault, data: { error: 'temporarily_unavailable' } }
      return { statusCode: 200, data: { keys: published.map((key) => key.jwk) } }
    }
    if (!tenants.includes(tenant) && tenant !== 'common') return { statusCode: 400, data: { error: 'invalid_tenant' } }
    if (tail === 'v2.0/.well-known/openid-configuration' || tail === '.well-known/openid-configuration') {
      counts.metadata += 1
      if (metadataFault !== undefined) return { statusCode: metadataFault, data: {} }
      const v2 = tail.startsWith('v2.0')
      return {
        statusCode: 200,
        data: {
          issuer: v2 ? `${AUTHORITY}/{tenantid}/v2.0` : v1Issuer(tenant),
          jwks_uri: v2 ? `${AUTHORITY}/${tenant}/discovery/v2.0/keys` : `${AUTHORITY}/common/discovery/keys`,
          token_endpoint: `${AUTHORITY}/${tenant}/oauth2${v2 ? '/v2.0' : ''}/token`
        }
      }
    }
    return { statusCode: 404, data: {} }
  }

  agent.get(AUTHORITY).intercept({ path: () => true, method: 'GET' }).reply(({ path }) => route(path)).persist()
  return {
    agent,
    counts,
    setKeys: (next) => { published = next },
    faultJwks: (status) => { jwksFault = status },
    faultMetadata: (status) => { metadataFault = status }
  }
}
