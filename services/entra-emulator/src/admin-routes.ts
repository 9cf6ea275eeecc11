import type { FastifyPluginAsync } from 'fastify'
import type { EmulatorContext } from './context.js'
import { routes } from './endpoints.js'
import type { FaultSettings } from './faults.js'

const faultSpec = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'integer', minimum: 400, maximum: 599 },
    delayMs: { type: 'integer', minimum: 0, maximum: 600_000 },
    remaining: { type: 'integer', minimum: 1 },
    retryAfterS: { type: 'integer', minimum: 0, maximum: 3600 }
  }
} as const

const faultSettings = {
  type: 'object',
  additionalProperties: false,
  properties: { token: faultSpec, jwks: faultSpec }
} as const

const counters = {
  type: 'object',
  properties: {
    tokenRequests: { type: 'integer' }, tokensIssued: { type: 'integer' }, jwksRequests: { type: 'integer' }, metadataRequests: { type: 'integer' }
  },
  required: ['tokenRequests', 'tokensIssued', 'jwksRequests', 'metadataRequests']
} as const

/** `/_emulator/*`: key rotation, counters and fault injection, for demos and tests. */
export const adminRoutes: FastifyPluginAsync<EmulatorContext> = async (app, context) => {
  const log = app.log.child({ component: 'admin' })

  app.post(routes.rotateKeys, { schema: { response: { 200: { type: 'object', properties: { kid: { type: 'string' } }, required: ['kid'] } } } }, async () => {
    const { kid } = await context.keys.rotate()
    log.info({ kid }, 'signing key rotated')
    return { kid }
  })

  app.get(routes.stats, { schema: { response: { 200: counters } } }, async () => context.stats.snapshot())
  app.delete(routes.stats, async (_request, reply) => {
    context.stats.reset()
    return reply.code(204).send()
  })

  app.put<{ Body: FaultSettings }>(routes.faults, { schema: { body: faultSettings, response: { 200: faultSettings } } }, async (request) => {
    context.faults.set(request.body)
    log.info({ faults: request.body }, 'faults set')
    return context.faults.current()
  })
  app.get(routes.faults, { schema: { response: { 200: faultSettings } } }, async () => context.faults.current())
  app.delete(routes.faults, async (_request, reply) => {
    context.faults.clear()
    log.info('faults cleared')
    return reply.code(204).send()
  })
}
