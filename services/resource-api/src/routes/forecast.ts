import type { FastifyPluginAsync } from 'fastify'
import { callerOf, type EntraAuth } from '../entra-auth/plugin.js'
import { callerSchema, errorResponses, forecastEntrySchema } from './schemas.js'

/** One day of forecast. */
export interface ForecastEntry {
  readonly date: string
  readonly temperatureC: number
  readonly summary: string
}

/** Sample data, the same on every call. */
export const FORECAST: readonly ForecastEntry[] = Object.freeze([
  { date: '2026-12-01', temperatureC: -2, summary: 'Crisp' },
  { date: '2026-12-02', temperatureC: 1, summary: 'Sleet' },
  { date: '2026-12-03', temperatureC: 4, summary: 'Chilly' },
  { date: '2026-12-04', temperatureC: 3, summary: 'Overcast' },
  { date: '2026-12-05', temperatureC: -5, summary: 'Snow' }
].map((entry) => Object.freeze(entry)))

/** The forecast routes' collaborators. */
export interface ForecastRoutesOptions {
  readonly require: EntraAuth['require']
}

/** GET schema, shared with the benchmark's unauthenticated twin so both serialize the same body. */
export const getForecastSchema = {
  response: {
    200: {
      type: 'object',
      properties: { forecast: { type: 'array', items: forecastEntrySchema }, caller: callerSchema },
      required: ['forecast', 'caller']
    },
    ...errorResponses
  }
} as const

/** `GET /api/forecast` (role Forecast.Read) and `POST /api/forecast` (role Forecast.Write). */
export const forecastRoutes: FastifyPluginAsync<ForecastRoutesOptions> = async (app, { require }) => {
  app.get('/api/forecast', {
    onRequest: require({ roles: ['Forecast.Read'] }),
    schema: getForecastSchema
  }, async (request) => ({ forecast: FORECAST, caller: callerOf(request) }))

  app.post<{ Body: ForecastEntry }>('/api/forecast', {
    onRequest: require({ roles: ['Forecast.Write'] }),
    bodyLimit: 1024,
    schema: {
      body: forecastEntrySchema,
      response: {
        201: {
          type: 'object',
          properties: { forecast: forecastEntrySchema, caller: callerSchema },
          required: ['forecast', 'caller']
        },
        ...errorResponses
      }
    }
  }, async (request, reply) => reply.code(201).send({ forecast: request.body, caller: callerOf(request) }))
}
