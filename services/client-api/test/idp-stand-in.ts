import Fastify from 'fastify'
import type { AddressInfo } from 'node:net'
import { ensureDevTls } from '@entra-s2s/shared'

type Teardown = { teardown: (fn: () => unknown) => void }

/** How the token endpoint answers one request; `undefined` leaves it hanging. */
export type TokenAnswer = { status: number, body: unknown, headers?: Record<string, string> } | undefined

export const issued = (n: number): TokenAnswer => ({ status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: `access-token-${n}` } })

/**
 * An in-process HTTPS identity provider with Entra's paths (instance discovery, v2 metadata, v2 token), for
 * testing the MSAL wiring before and apart from the emulator. Trusted through the dev CA (NODE_EXTRA_CA_CERTS).
 */
export async function idpStandIn (t: Teardown, options: { answer?: (n: number) => TokenAnswer, listHost?: boolean } = {}) {
  const tls = await ensureDevTls()
  const app = Fastify({ https: { key: tls.key, cert: tls.cert }, forceCloseConnections: true })
  const counts = { discovery: 0, metadata: 0, token: 0 }
  const tokenRequests: Array<Record<string, string>> = []
  let base = ''
  let host = ''
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })
  app.get('/common/discovery/instance', async () => {
    counts.discovery += 1
    const aliases = options.listHost === false ? ['login.example.org'] : [host]
    return { tenant_discovery_endpoint: `${base}/common/v2.0/.well-known/openid-configuration`, 'api-version': '1.1', metadata: [{ preferred_network: aliases[0], preferred_cache: aliases[0], aliases }] }
  })
  app.get<{ Params: { tenant: string } }>('/:tenant/v2.0/.well-known/openid-configuration', async (req) => {
    counts.metadata += 1
    const tenantBase = `${base}/${req.params.tenant}`
    return {
      token_endpoint: `${tenantBase}/oauth2/v2.0/token`,
      jwks_uri: `${tenantBase}/discovery/v2.0/keys`,
      issuer: `${tenantBase}/v2.0`,
      authorization_endpoint: `${tenantBase}/oauth2/v2.0/authorize`
    }
  })
  app.post('/:tenant/oauth2/v2.0/token', (req, reply) => {
    counts.token += 1
    tokenRequests.push(req.body as Record<string, string>)
    const answer = (options.answer ?? issued)(counts.token)
    if (answer) reply.code(answer.status).headers(answer.headers ?? {}).send(answer.body)
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => app.close())
  const port = (app.server.address() as AddressInfo).port
  host = `localhost:${port}`
  base = `https://${host}`
  return { url: base, counts, tokenRequests }
}

/** An Entra-shaped error answer. */
export const aadstsAnswer = (status: number, error: string, code: number, headers?: Record<string, string>): TokenAnswer => ({
  status,
  headers,
  body: { error, error_description: `AADSTS${code}: described. Trace ID: x`, error_codes: [code], timestamp: '2026-01-01 00:00:00Z', trace_id: 'x', correlation_id: 'y' }
})
