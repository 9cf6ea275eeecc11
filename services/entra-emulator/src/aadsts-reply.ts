import { randomUUID } from 'node:crypto'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AadstsError, aadsts } from './aadsts-error.js'

/** Entra's error body (entra-protocol.md §7). */
export interface AadstsBody {
  error: string
  error_description: string
  error_codes: number[]
  timestamp: string
  trace_id: string
  correlation_id: string
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The caller's `client-request-id` (header, query or form field) when it is a GUID; otherwise a new one. */
export function correlationId (request: FastifyRequest): string {
  const query = request.query as Record<string, unknown> | undefined
  const body = request.body as Record<string, unknown> | undefined
  const candidates = [request.headers['client-request-id'], query?.['client-request-id'], body?.['client-request-id'], request.headers['x-ms-client-request-id']]
  const found = candidates.find((value): value is string => typeof value === 'string' && GUID.test(value))
  return found ?? randomUUID()
}

/** Builds the body; `now` is epoch ms. */
export function aadstsBody (error: AadstsError, now: number, correlation: string, traceId: string = randomUUID()): AadstsBody {
  const timestamp = new Date(now).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z')
  return {
    error: error.error,
    error_description: `AADSTS${error.code}: ${error.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${timestamp}`,
    error_codes: [error.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation
  }
}

/** The one renderer of refusals: status, headers and the AADSTS body. */
export function sendAadsts (reply: FastifyReply, error: AadstsError, now: number): FastifyReply {
  return reply.code(error.status).headers(error.headers).header('cache-control', 'no-store')
    .type('application/json; charset=utf-8').send(aadstsBody(error, now, correlationId(reply.request)))
}

/**
 * The error handler of every route: renders what was thrown as an AADSTS refusal and logs only what was not a
 * refusal (a bug), at error level with its stack; the body never carries it.
 */
export function handleError (error: FastifyError | Error, reply: FastifyReply, now: number): AadstsError {
  const refusal = toAadsts(error)
  if (!(error instanceof AadstsError) && refusal.status >= 500) reply.request.log.error({ err: error }, 'request failed')
  sendAadsts(reply, refusal, now)
  return refusal
}

/** Maps anything thrown to an AADSTS refusal: ours as they are, framework 4xx as malformed requests, the rest 500 without details. */
export function toAadsts (error: FastifyError | Error): AadstsError {
  if (error instanceof AadstsError) return error
  const status = (error as FastifyError).statusCode ?? 500
  if ((error as FastifyError).validation) return aadsts.malformed(400)
  if (status >= 400 && status < 500) return aadsts.malformed(status)
  return new AadstsError(500, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.')
}
