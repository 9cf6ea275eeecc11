import { Pool } from 'undici'
import { resourceBodyProblem, resourceFailureProblem } from './error-translation.js'

export interface ResourceClientOptions {
  /** Base URL of the resource API; its path (if any) prefixes every route. */
  readonly url: string
  /** Deadline for connecting, for the response headers and between body chunks. */
  readonly timeoutMs: number
}

/** Headers carried from the caller's request to the resource API. */
export interface ForwardedHeaders {
  readonly requestId: string
  readonly traceparent: string | undefined
}

export type ResourceAnswer =
  | { readonly ok: true, readonly body: unknown }
  | { readonly ok: false, readonly status: number, readonly invalidToken: boolean }

export interface ResourceClient {
  /** GETs `path` with the bearer token. Throws an HttpProblem (502/504) when the resource API cannot be reached in time. */
  get: (path: string, accessToken: string, forwarded: ForwardedHeaders) => Promise<ResourceAnswer>
  close: () => Promise<void>
}

const POOL_CONNECTIONS = 128
const KEEP_ALIVE_MS = 30_000
const INVALID_TOKEN = /\berror\s*=\s*"?invalid_token\b/i

/** One keep-alive undici Pool for the resource API, with connect, headers and body deadlines. */
export function createResourceClient ({ url, timeoutMs }: ResourceClientOptions): ResourceClient {
  const base = new URL(url)
  const prefix = base.pathname.replace(/\/+$/, '')
  const pool = new Pool(base.origin, {
    connections: POOL_CONNECTIONS,
    keepAliveTimeout: KEEP_ALIVE_MS,
    connectTimeout: timeoutMs,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs
  })

  return {
    async get (path, accessToken, { requestId, traceparent }) {
      const headers: Record<string, string> = { authorization: `Bearer ${accessToken}`, accept: 'application/json', 'x-request-id': requestId }
      if (traceparent !== undefined) headers['traceparent'] = traceparent
      let res
      try {
        res = await pool.request({ method: 'GET', path: prefix + path, headers })
      } catch (err) {
        throw resourceFailureProblem(err)
      }
      if (res.statusCode !== 200) {
        await res.body.dump().catch(() => {})
        const challenge = res.headers['www-authenticate']
        const invalidToken = res.statusCode === 401 && INVALID_TOKEN.test(Array.isArray(challenge) ? challenge.join(', ') : challenge ?? '')
        return { ok: false, status: res.statusCode, invalidToken }
      }
      let text: string
      try {
        text = await res.body.text()
      } catch (err) {
        throw resourceFailureProblem(err)
      }
      try {
        return { ok: true, body: JSON.parse(text) as unknown }
      } catch {
        throw resourceBodyProblem()
      }
    },
    close: () => pool.close()
  }
}
