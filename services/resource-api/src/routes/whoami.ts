import type { FastifyPluginAsync } from 'fastify'
import { callerOf, type EntraAuth } from '../entra-auth/plugin.js'
import { callerSchema, errorResponses } from './schemas.js'

/** The whoami route's collaborators. */
export interface WhoamiRoutesOptions {
  readonly require: EntraAuth['require']
}

/** `GET /api/whoami`: any valid app-only token, answered with the caller it names. */
export const whoamiRoutes: FastifyPluginAsync<WhoamiRoutesOptions> = async (app, { require }) => {
  app.get('/api/whoami', {
    onRequest: require(),
    schema: { response: { 200: callerSchema, ...errorResponses } }
  }, async (request) => callerOf(request))
}
