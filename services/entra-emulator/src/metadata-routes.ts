import type { FastifyPluginAsync } from 'fastify'
import { aadsts, refuse } from './aadsts-error.js'
import type { EmulatorContext } from './context.js'
import { routes, tenantAliases, tenantParamsSchema } from './endpoints.js'
import { instanceDiscovery, v1Configuration, v2Configuration } from './metadata.js'

const discoveryQuery = {
  type: 'object',
  properties: { 'api-version': { type: 'string' }, authorization_endpoint: { type: 'string', maxLength: 2048 } }
} as const

const CACHE_DAY = 'max-age=86400, private'

/** OpenID configuration documents (v2, v1), key sets (v2, v1) and instance discovery, per tenant or alias. */
export const metadataRoutes: FastifyPluginAsync<EmulatorContext> = async (app, context) => {
  const resolve = (tenant: string) => {
    const alias = tenantAliases.find((a) => a === tenant.toLowerCase())
    if (alias) return { tenant: alias, alias: true }
    const known = context.directory.tenant(tenant) ?? refuse(aadsts.unknownTenant(tenant, 'invalid_tenant'))
    return { tenant: known.id, alias: false }
  }

  for (const [path, document] of [[routes.v2Metadata, v2Configuration], [routes.v1Metadata, v1Configuration]] as const) {
    app.get<{ Params: { tenant: string } }>(path, { schema: { params: tenantParamsSchema } }, async (request, reply) => {
      context.stats.count('metadataRequests')
      const { tenant, alias } = resolve(request.params.tenant)
      reply.header('cache-control', CACHE_DAY)
      return document(context.issuerBase(), tenant, alias)
    })
  }

  for (const [path, version] of [[routes.v2Keys, 'v2'], [routes.v1Keys, 'v1']] as const) {
    app.get<{ Params: { tenant: string } }>(path, { schema: { params: tenantParamsSchema } }, async (request, reply) => {
      context.stats.count('jwksRequests')
      const fault = await context.faults.apply('jwks')
      if (fault) throw fault
      resolve(request.params.tenant)
      reply.header('cache-control', CACHE_DAY)
      return context.keys.jwks(version, `${context.issuerBase()}/{tenantid}/v2.0`)
    })
  }

  app.get<{ Querystring: { authorization_endpoint?: string } }>(routes.instanceDiscovery, { schema: { querystring: discoveryQuery } }, async (request) => {
    const base = context.issuerBase()
    const authorize = request.query.authorization_endpoint
    if (authorize === undefined) return instanceDiscovery(base, 'common')
    const url = URL.canParse(authorize) ? new URL(authorize) : undefined
    if (!url || url.host !== new URL(base).host) throw aadsts.unknownInstance()
    const tenant = url.pathname.split('/')[1] || 'common'
    return instanceDiscovery(base, tenant)
  })
}
