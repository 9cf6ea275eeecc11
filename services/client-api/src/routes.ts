import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { resourceBodyProblem, resourceStatusProblem, tokenUnavailableProblem } from './error-translation.js'
import type { ResourceClient } from './resource-client.js'
import { TokenUnavailableError, type ProvidedToken, type TokenProvider } from './token-provider.js'

export interface ForecastRoutesOptions {
  readonly tokens: TokenProvider
  readonly resource: ResourceClient
  readonly scope: string
}

export const FORECAST_PATH = '/api/forecast'

const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/

const tokenFactsSchema = {
  type: 'object',
  properties: {
    source: { type: 'string', enum: ['cache', 'fresh'] },
    expiresOn: { type: 'string' },
    scope: { type: 'string' }
  },
  required: ['source', 'expiresOn', 'scope']
} as const

// Only what is listed here reaches the caller: the serializer drops anything else the resource API might send.
const forecastSchema = {
  response: {
    200: {
      type: 'object',
      properties: {
        forecast: {
          type: 'array',
          items: {
            type: 'object',
            properties: { date: { type: 'string' }, temperatureC: { type: 'number' }, summary: { type: 'string' } }
          }
        },
        caller: {
          type: 'object',
          properties: {
            appId: { type: 'string' },
            tenantId: { type: 'string' },
            objectId: { type: 'string' },
            roles: { type: 'array', items: { type: 'string' } },
            tokenVersion: { type: 'string' }
          }
        },
        token: tokenFactsSchema
      },
      required: ['forecast', 'token']
    }
  }
} as const

const forwarded = (request: FastifyRequest) => {
  const traceparent = request.headers.traceparent
  return { requestId: request.id, traceparent: typeof traceparent === 'string' && TRACEPARENT.test(traceparent) ? traceparent : undefined }
}

const isForecast = (body: unknown): body is { forecast: unknown[] } =>
  typeof body === 'object' && body !== null && Array.isArray((body as { forecast?: unknown }).forecast)

const asProblem = (err: unknown): never => {
  throw err instanceof TokenUnavailableError ? tokenUnavailableProblem(err) : err
}

/** `GET /`: the resource API's forecast, fetched with this client's app token, plus facts about that token. */
export const forecastRoutes: FastifyPluginAsync<ForecastRoutesOptions> = async (app, { tokens, resource, scope }) => {
  app.get('/', { schema: forecastSchema }, async (request) => {
    const headers = forwarded(request)
    let token: ProvidedToken = await tokens.getToken(scope).catch(asProblem)
    let answer = await resource.get(FORECAST_PATH, token.accessToken, headers)
    if (!answer.ok && answer.invalidToken) {
      const rejected = token.accessToken
      token = await tokens.forceRefresh(scope, rejected).catch(asProblem)
      answer = await resource.get(FORECAST_PATH, token.accessToken, headers)
    }
    if (!answer.ok) throw resourceStatusProblem(answer.status)
    if (!isForecast(answer.body)) throw resourceBodyProblem()
    return { ...answer.body, token: token.facts }
  })
}
