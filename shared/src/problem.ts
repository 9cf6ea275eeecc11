import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/** What a problem is built from. `code` is the stable snake_case reason clients match on. */
export interface ProblemInit {
  readonly status: number
  readonly code: string
  readonly title?: string
  readonly detail?: string
  readonly headers?: Readonly<Record<string, string>>
  /** RFC 9457 extension members (e.g. `aadsts`), added to the body beside the standard ones. */
  readonly extensions?: Readonly<Record<string, string | number | boolean>>
  /** What went wrong underneath, for the error log only: it never reaches the body. */
  readonly cause?: unknown
}

/** An error that renders as an RFC 9457 `application/problem+json` response. */
export class HttpProblem extends Error {
  readonly status: number
  readonly code: string
  readonly title: string
  readonly detail: string | undefined
  readonly headers: Readonly<Record<string, string>>
  readonly extensions: Readonly<Record<string, string | number | boolean>> | undefined

  constructor (init: ProblemInit) {
    super(init.detail ?? init.title ?? init.code, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'HttpProblem'
    this.status = init.status
    this.code = init.code
    this.title = init.title ?? STATUS_CODES[init.status] ?? 'Error'
    this.detail = init.detail
    this.headers = init.headers ?? {}
    this.extensions = init.extensions
  }
}

/** The body of every error response. */
export interface ProblemBody {
  type: string
  title: string
  status: number
  detail?: string
  code: string
  [extension: string]: unknown
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

export const problemType = (code: string): string => `urn:entra-s2s:problem:${code}`

/** Builds the wire body of a problem. */
export function problemBody (problem: HttpProblem): ProblemBody {
  const body: ProblemBody = { ...problem.extensions, type: problemType(problem.code), title: problem.title, status: problem.status, code: problem.code }
  if (problem.detail !== undefined) body.detail = problem.detail
  return body
}

/** Sends `problem` as `application/problem+json`, with its headers. */
export function sendProblem (reply: FastifyReply, problem: HttpProblem): FastifyReply {
  return reply.code(problem.status).headers(problem.headers).type(PROBLEM_CONTENT_TYPE).send(problemBody(problem))
}

const frameworkCodes: Readonly<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_request'
}

/** Turns anything thrown in a route into a problem: ours as they are, framework 4xx by code, the rest as a bare 500. */
export function toProblem (error: FastifyError | HttpProblem | Error): HttpProblem {
  if (error instanceof HttpProblem) return error
  const fastifyError = error as FastifyError
  if (fastifyError.validation) {
    return new HttpProblem({ status: 400, code: 'invalid_request', detail: fastifyError.message })
  }
  const status = fastifyError.statusCode ?? 500
  if (status >= 400 && status < 500) {
    const code = frameworkCodes[fastifyError.code] ?? 'bad_request'
    return new HttpProblem({ status, code, detail: fastifyError.message })
  }
  return new HttpProblem({ status: 500, code: 'internal_error', detail: 'The server could not complete the request.' })
}

function problemErrorHandler (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(error)
  if (problem.status >= 500) request.log.error({ err: error }, 'request failed')
  else request.log.info({ code: problem.code, status: problem.status }, 'request refused')
  return sendProblem(reply, problem)
}

/** Makes every error and unknown route of `app` (call it on the root instance) a problem+json response. */
export function useProblemDetails (app: FastifyInstance): void {
  app.setErrorHandler(problemErrorHandler)
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new HttpProblem({ status: 404, code: 'not_found', detail: `No route for ${request.method} ${request.url.split('?')[0]}.` })))
}
