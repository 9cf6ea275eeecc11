import type { FastifyInstance } from 'fastify'

/** A readiness probe: true when the service can serve. */
export type ReadinessCheck = () => boolean

const healthSchema = {
  response: {
    '2xx': { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] },
    '5xx': { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] }
  }
} as const

/** Adds `GET /health/live` (always 200) and `GET /health/ready` (200 when `isReady()`, else 503). */
export function healthRoutes (app: FastifyInstance, isReady: ReadinessCheck): void {
  app.get('/health/live', { schema: healthSchema, logLevel: 'warn' }, async () => ({ status: 'live' }))
  app.get('/health/ready', { schema: healthSchema, logLevel: 'warn' }, async (_request, reply) =>
    isReady() ? { status: 'ready' } : reply.code(503).send({ status: 'not_ready' }))
}
