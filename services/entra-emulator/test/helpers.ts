import { readFileSync } from 'node:fs'
import { X509Certificate, constants, createHash, createPrivateKey, createPublicKey, randomUUID, sign, type KeyObject } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { createVerifier } from 'fast-jwt'
import { Agent, request } from 'undici'
import { buildApp, type EmulatorDeps } from '../src/app.js'
import { loadConfig } from '../src/config.js'

export const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url))
export const testRegistrations = `${fixtures}registrations.json`
export const demoPem = fileURLToPath(new URL('../demo/client-app.pem', import.meta.url))

export const tenantA = 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161'
export const tenantB = '003cf140-8084-4438-844f-cbd58e5a6d98'
export const resourceApp = '63f3823d-1481-4d2c-b93c-c86eec1bd969'
export const resourceScope = `api://${resourceApp}/.default`
export const legacyApp = '0a5c3f0e-3a55-4c55-9c1f-1d0b6f6c8e01'
export const legacyUri = 'https://legacy.contoso.test'
export const daemon = { appId: '3f6e7393-8081-49b4-b995-442cc17f830a', secret: 'test-only~valid-secret', expired: 'test-only~expired-secret' }
export const unprivileged = { appId: '902007c9-2b1b-4fd6-8f74-741dba639ecd', secret: 'test-only~unprivileged' }
export const tenantBDaemon = { appId: '62fd36d3-dcb6-43c4-95f6-948be4451fcf', secret: 'test-only~tenant-b' }

const demoCert = new X509Certificate(readFileSync(demoPem, 'utf8').replace(/^[\s\S]*?(?=-----BEGIN CERTIFICATE)/, ''))
export const demoThumbprints = {
  sha1Hex: createHash('sha1').update(demoCert.raw).digest('hex'),
  sha256Hex: createHash('sha256').update(demoCert.raw).digest('hex')
}

interface Teardown { teardown: (fn: () => unknown) => void }

/** An emulator running in-process on 127.0.0.1, port 0, over real HTTPS. */
export interface TestEmulator {
  readonly app: FastifyInstance
  /** https://localhost:<port>, the authority host clients use. */
  readonly url: string
  readonly dispatcher: Agent
  post: (path: string, form: Record<string, string> | string, headers?: Record<string, string>) => Promise<Answer>
  get: (path: string) => Promise<Answer>
}

export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Record<string, unknown>
}

/** Starts the emulator with the test registrations (or `env` overrides) and closes it in teardown. */
export async function startEmulator (t: Teardown, env: Record<string, string> = {}, deps: EmulatorDeps = {}): Promise<TestEmulator> {
  const config = await loadConfig({ EMULATOR_REGISTRATIONS: testRegistrations, LOG_LEVEL: 'silent', ...env })
  const app = await buildApp(config, deps)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const dispatcher = new Agent({ keepAliveTimeout: 10 })
  t.teardown(async () => {
    await dispatcher.close()
    await app.close()
  })
  const address = app.server.address()
  const url = `https://localhost:${typeof address === 'object' && address ? address.port : 0}`
  const answer = async (res: Awaited<ReturnType<typeof request>>): Promise<Answer> => {
    const text = await res.body.text()
    return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) as Record<string, unknown> : {} }
  }
  return {
    app,
    url,
    dispatcher,
    post: async (path, form, headers = {}) => answer(await request(`${url}${path}`, {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: typeof form === 'string' ? form : new URLSearchParams(form).toString()
    })),
    get: async (path) => answer(await request(`${url}${path}`, { dispatcher }))
  }
}

/** Verifies `token` with fast-jwt against the emulator's published JWKS (the key named by its kid), returning its claims. */
export async function verifyWithJwks (emulator: TestEmulator, token: string, jwksPath: string, expected: { iss: string, aud: string }): Promise<Record<string, unknown>> {
  const jwks = (await emulator.get(jwksPath)).body as { keys: Array<Record<string, unknown>> }
  const kid = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).kid as string
  const jwk = jwks.keys.find((key) => key['kid'] === kid)
  if (!jwk) throw new Error(`kid ${kid} is not published`)
  const key = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString()
  const verify = createVerifier({ key, algorithms: ['RS256'], allowedIss: expected.iss, allowedAud: expected.aud, requiredClaims: ['exp', 'nbf', 'iat', 'tid'] })
  return verify(token) as Record<string, unknown>
}

/** The token endpoint form for a client secret. */
export const secretForm = (clientId: string, secret: string, scope = resourceScope): Record<string, string> =>
  ({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope })

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

/** The demo client's private key (from the demo PEM). */
export const demoKey = createPrivateKey(readFileSync(demoPem, 'utf8'))

/** Signs a client assertion like MSAL does (RS256 + x5t, or PS256 + x5t#S256), with overrides for negative cases. */
export function makeAssertion (options: {
  aud: string
  alg?: 'RS256' | 'PS256'
  key?: KeyObject
  header?: Record<string, unknown>
  claims?: Record<string, unknown>
  nowS?: number
}): string {
  const alg = options.alg ?? 'RS256'
  const nowS = options.nowS ?? Math.floor(Date.now() / 1000)
  const thumbprint = alg === 'RS256'
    ? { x5t: Buffer.from(demoThumbprints.sha1Hex, 'hex').toString('base64url') }
    : { 'x5t#S256': Buffer.from(demoThumbprints.sha256Hex, 'hex').toString('base64url') }
  const header = { alg, typ: 'JWT', ...thumbprint, ...options.header }
  const claims = { aud: options.aud, iss: daemon.appId, sub: daemon.appId, jti: randomUUID(), nbf: nowS, iat: nowS - 1, exp: nowS + 600, ...options.claims }
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`
  const key = options.key ?? demoKey
  const signature = alg === 'RS256'
    ? sign('sha256', Buffer.from(input), key)
    : sign('sha256', Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST })
  return `${input}.${signature.toString('base64url')}`
}

/** The token endpoint form for a client assertion. */
export const assertionForm = (assertion: string, scope = resourceScope, clientId = daemon.appId): Record<string, string> =>
  ({ grant_type: 'client_credentials', client_id: clientId, client_assertion_type: JWT_BEARER, client_assertion: assertion, scope })
