import formbody from '@fastify/formbody'
import type { FastifyError, FastifyPluginAsync, FastifyRequest } from 'fastify'
import { aadsts } from './aadsts-error.js'
import { handleError } from './aadsts-reply.js'
import type { EmulatorContext } from './context.js'
import { routes, tenantParamsSchema } from './endpoints.js'
import { issueToken } from './token-issuer.js'
import { tokenParams } from './token-params.js'

/** Token requests are small; Entra's limit is undocumented, MSAL's largest (a certificate assertion with x5c) is ~4 KiB. */
export const TOKEN_BODY_LIMIT = 64 * 1024
const LOGGED_ID_LENGTH = 64

/**
 * `POST /{tenant}/oauth2/v2.0/token` and `POST /{tenant}/oauth2/token`: form bodies only (anything else is read as
 * no parameters, as Entra does), every refusal in the AADSTS shape, and one log line per request.
 */
export const tokenRoutes: FastifyPluginAsync<EmulatorContext> = async (app, context) => {
  const outcomes = new WeakMap<FastifyRequest, Record<string, string | number>>()
  app.removeAllContentTypeParsers()
  await app.register(formbody, { bodyLimit: TOKEN_BODY_LIMIT })
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: TOKEN_BODY_LIMIT }, (_request, _body, done) => done(null, undefined))

  app.addHook('onRequest', async (request) => {
    if (request.method === 'POST') context.stats.count('tokenRequests')
  })
  app.setErrorHandler((error: FastifyError, request, reply) => {
    outcomes.set(request, { aadsts: handleError(error, reply, context.now()).code })
  })
  app.addHook('onResponse', async (request, reply) => {
    const formId = (request.body as Record<string, unknown> | undefined)?.['client_id']
    request.log.info({
      tenant: (request.params as { tenant?: string }).tenant?.slice(0, LOGGED_ID_LENGTH),
      clientId: typeof formId === 'string' ? formId.slice(0, LOGGED_ID_LENGTH) : undefined,
      outcome: reply.statusCode < 400 ? 'issued' : 'refused',
      status: reply.statusCode,
      ...outcomes.get(request)
    }, 'token request')
  })

  for (const [path, endpoint] of [[routes.v2Token, 2], [routes.v1Token, 1]] as const) {
    app.post<{ Params: { tenant: string } }>(path, { schema: { params: tenantParamsSchema }, bodyLimit: TOKEN_BODY_LIMIT }, async (request, reply) => {
      const fault = await context.faults.apply('token')
      if (fault) throw fault
      const issued = issueToken({
        tenant: request.params.tenant,
        endpoint,
        params: tokenParams(request.body),
        authorization: request.headers.authorization,
        issuerBase: context.issuerBase()
      }, context)
      context.stats.count('tokensIssued')
      outcomes.set(request, { clientId: issued.clientId, auth: issued.auth, version: issued.version })
      return reply.header('cache-control', 'no-store, no-cache').header('pragma', 'no-cache').send(issued.body)
    })
    app.get(path, { schema: { params: tenantParamsSchema } }, async (request) => { throw aadsts.postOnly(request.method) })
  }
}
