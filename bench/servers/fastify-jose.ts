import Fastify from 'fastify'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { announce, bearerToken, FORECAST_PATH, hasRole, peerSettings } from './common.js'
import { callerFrom, forecastBody } from './forecast.js'

// Peer: Fastify + jose jwtVerify with createRemoteJWKSet (key fetched once, then cached by jose).
const settings = peerSettings()
const jwks = createRemoteJWKSet(new URL(settings.jwksUrl))
const app = Fastify()

app.get(FORECAST_PATH, async (request, reply) => {
  const token = bearerToken(request.headers.authorization)
  if (!token) return reply.code(401).send({ error: 'unauthorized' })
  const claims = await jwtVerify(token, jwks, { issuer: settings.issuer, audience: settings.audience, algorithms: ['RS256'] })
    .then(({ payload }) => payload, () => undefined)
  if (!claims) return reply.code(401).send({ error: 'invalid_token' })
  if (!hasRole(claims)) return reply.code(403).send({ error: 'insufficient_scope' })
  return forecastBody(callerFrom(claims))
})

await app.listen({ host: '127.0.0.1', port: 0 })
announce(app.server)
