import { request, type Dispatcher } from 'undici'

/** Why the identity provider could not be read. Never carries the response body. */
export type ProviderFailure = 'provider_timeout' | 'provider_unreachable' | 'provider_status' | 'provider_invalid'

/** The identity provider's metadata or keys could not be read. The message names the URL, never a body. */
export class ProviderError extends Error {
  readonly code: ProviderFailure
  readonly url: string

  constructor (code: ProviderFailure, url: string, message: string) {
    super(`${message} (${url})`)
    this.name = 'ProviderError'
    this.code = code
    this.url = url
  }
}

/** GETs a JSON document. Resolves with the parsed body or rejects with a {@link ProviderError}. */
export type FetchJson = (url: string) => Promise<unknown>

/** A dispatcher for provider reads: redirects are not followed, bodies over 1 MiB are refused. */
export const PROVIDER_AGENT_OPTIONS = { maxResponseSize: 1024 * 1024, connect: { timeout: 5_000 } } as const

/**
 * Builds a {@link FetchJson} over undici with a real deadline per call: an `AbortSignal` covers
 * connect, headers and body together (get-jwks' `timeout` option is ignored by Node 20's fetch).
 */
export function createFetchJson (dispatcher: Dispatcher, timeoutMs: number): FetchJson {
  return async (url) => {
    try {
      const response = await request(url, {
        dispatcher,
        signal: AbortSignal.timeout(timeoutMs),
        headers: { accept: 'application/json' }
      })
      if (response.statusCode !== 200) {
        await response.body.dump()
        throw new ProviderError('provider_status', url, `the identity provider answered ${response.statusCode}`)
      }
      return await response.body.json()
    } catch (err) {
      throw toProviderError(err, url, timeoutMs)
    }
  }
}

function toProviderError (err: unknown, url: string, timeoutMs: number): ProviderError {
  if (err instanceof ProviderError) return err
  const { name, code } = err as { name?: string, code?: string }
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ProviderError('provider_timeout', url, `the identity provider did not answer within ${timeoutMs} ms`)
  }
  if (name === 'SyntaxError' || code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
    return new ProviderError('provider_invalid', url, 'the identity provider sent an unreadable document')
  }
  return new ProviderError('provider_unreachable', url, `the identity provider is unreachable (${code ?? name ?? 'error'})`)
}
