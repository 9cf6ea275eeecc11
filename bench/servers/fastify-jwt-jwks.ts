import Fastify, { type FastifyPluginCallback } from 'fastify'
import jwtJwksModule, { type FastifyJwtJwksOptions } from 'fastify-jwt-jwks'
import { announce, FORECAST_PATH, hasRole, peerSettings } from './common.js'
import { callerFrom, forecastBody } from './forecast.js'

// Peer: nearform/fastify-jwt-jwks (@fastify/jwt on fast-jwt, key cached per kid).
const settings = peerSettings()
// The CommonJS module itself is the fastify-plugin wrapped plugin (its typings only describe the named export).
const fastifyJwtJwks = jwtJwksModule as unknown as FastifyPluginCallback<FastifyJwtJwksOptions>
const app = Fastify()
await app.register(fastifyJwtJwks, { jwksUrl: settings.jwksUrl, audience: settings.audience, issuer: settings.issuer })

app.get(FORECAST_PATH, { preValidation: app.authenticate }, async (request, reply) => {
  const claims = request.user as Record<string, unknown>
  if (!hasRole(claims)) return reply.code(403).send({ error: 'insufficient_scope' })
  return forecastBody(callerFrom(claims))
})

await app.listen({ host: '127.0.0.1', port: 0 })
announce(app.server)
