import { ClientAuthError, ClientAuthErrorCodes, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node'
import { Agent, request } from 'undici'

/** MSAL's network module over undici, with deadlines, remembering what each failed answer asked us to wait. */
export interface IdpHttp extends INetworkModule {
  /** The Retry-After of the last failed answer to the request MSAL sent with `correlationId`; forgets it. */
  takeRetryAfter: (correlationId: string) => number | undefined
  close: () => Promise<void>
}

// MSAL's default fetch client has no deadline on token requests: a stalled identity provider would hang callers.
export const IDP_TIMEOUT_MS = 10_000
// MSAL throttles identical requests for 60 s after a 429/5xx without Retry-After, and at most an hour.
const DEFAULT_THROTTLE_MS = 60_000
const MAX_THROTTLE_MS = 3_600_000
const MAX_BODY_BYTES = 1 << 20

/** What an answer asks us to wait, the way MSAL's throttling reads it. */
export function retryAfterMs (status: number, header: string | undefined, now = Date.now()): number | undefined {
  if (status >= 200 && status < 300) return undefined
  if (header !== undefined && header.trim() !== '') {
    const seconds = /^\d+$/.test(header.trim()) ? Number(header) * 1000 : Date.parse(header) - now
    if (Number.isFinite(seconds)) return Math.min(MAX_THROTTLE_MS, Math.max(0, seconds))
  }
  return status === 429 || status >= 500 ? DEFAULT_THROTTLE_MS : undefined
}

async function readCapped (body: AsyncIterable<Buffer> & { destroy: () => unknown }): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) {
      body.destroy()
      throw Object.assign(new Error('response body too large'), { code: 'response_too_large' })
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

const networkFailure = (err: unknown, correlationId: string): ClientAuthError =>
  new ClientAuthError(ClientAuthErrorCodes.networkError, correlationId, String((err as { code?: unknown } | undefined)?.code ?? 'request failed'))

export function createIdpHttp (timeoutMs = IDP_TIMEOUT_MS): IdpHttp {
  const agent = new Agent({ connectTimeout: timeoutMs, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 30_000 })
  const waits = new Map<string, number>()

  async function send<T> (method: 'GET' | 'POST', url: string, options: NetworkRequestOptions | undefined, timeout?: number): Promise<NetworkResponse<T>> {
    const correlationId = options?.correlationId ?? ''
    let text: string
    let status: number
    let headers: Record<string, string>
    try {
      const deadline = timeout ?? timeoutMs
      const res = await request(url, {
        method,
        headers: options?.headers,
        body: method === 'POST' ? options?.body ?? '' : null,
        dispatcher: agent,
        headersTimeout: deadline,
        bodyTimeout: deadline
      })
      status = res.statusCode
      headers = Object.fromEntries(Object.entries(res.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value ?? '']))
      text = await readCapped(res.body)
    } catch (err) {
      throw networkFailure(err, correlationId)
    }
    const wait = retryAfterMs(status, headers['retry-after'])
    if (wait !== undefined && correlationId) waits.set(correlationId, wait)
    let body: T
    try {
      body = JSON.parse(text) as T
    } catch {
      throw new ClientAuthError(ClientAuthErrorCodes.tokenParsingError, correlationId, `HTTP ${status} without a JSON body`)
    }
    return { headers, body, status }
  }

  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
    takeRetryAfter (correlationId) {
      const wait = waits.get(correlationId)
      waits.delete(correlationId)
      return wait
    },
    close: () => agent.close()
  }
}
