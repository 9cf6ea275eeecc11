import Fastify from 'fastify'
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto'
import { useProblemDetails } from '@entra-s2s/shared'
import { announce, bearerToken, FORECAST_PATH, hasRole, peerSettings } from './common.js'
import { callerFrom, forecastBody, getForecastSchema } from './forecast.js'

// Scenario 2's floor: the twin plus the least work a correct RS256 check can do (one split, one JSON.parse per part,
// node:crypto one-shot verify with a parsed KeyObject, exp/nbf/iss/aud/role), no cache. Not a validator to copy:
// it has none of the resource API's refusals, limits or key refresh. It shows what the hardware allows.
const settings = peerSettings()
const res = await fetch(settings.jwksUrl)
const { keys: jwks } = await res.json() as { keys: Array<JsonWebKey & { kid: string }> }
const keys = new Map<string, KeyObject>(jwks.map((jwk) => [jwk.kid, createPublicKey({ key: jwk, format: 'jwk' })]))

const parse = (part: string): Record<string, unknown> => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>

function claimsOf (token: string): Record<string, unknown> | undefined {
  try {
    return check(token)
  } catch {
    return undefined
  }
}

function check (token: string): Record<string, unknown> | undefined {
  const [header, payload, signature] = token.split('.')
  if (header === undefined || payload === undefined || signature === undefined) return undefined
  const { alg, kid } = parse(header)
  const key = typeof kid === 'string' ? keys.get(kid) : undefined
  if (alg !== 'RS256' || !key) return undefined
  const signed = Buffer.from(token.slice(0, header.length + payload.length + 1), 'latin1')
  if (!verify('sha256', signed, key, Buffer.from(signature, 'base64url'))) return undefined
  const claims = parse(payload)
  const now = Date.now() / 1000
  const { exp, nbf, iss, aud } = claims
  if (typeof exp !== 'number' || exp < now || (typeof nbf === 'number' && nbf > now)) return undefined
  return iss === settings.issuer && aud === settings.audience ? claims : undefined
}

const app = Fastify()
useProblemDetails(app)
app.get(FORECAST_PATH, { schema: getForecastSchema }, async (request, reply) => {
  const token = bearerToken(request.headers.authorization)
  const claims = token === undefined ? undefined : claimsOf(token)
  if (!claims) return reply.code(401).send({ type: 'about:blank', title: 'Unauthorized', status: 401, code: 'invalid_token' })
  if (!hasRole(claims)) return reply.code(403).send({ type: 'about:blank', title: 'Forbidden', status: 403, code: 'insufficient_scope' })
  return forecastBody(callerFrom(claims))
})

await app.listen({ host: '127.0.0.1', port: 0 })
announce(app.server)
