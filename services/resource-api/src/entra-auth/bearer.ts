import type { IncomingMessage } from 'node:http'

/** What the Authorization header holds: a bearer token, nothing usable, or a syntax error. */
export type BearerCredentials =
  | { readonly token: string }
  | { readonly reason: 'missing_token' | 'invalid_request' }

const NO_TOKEN = Object.freeze({ reason: 'missing_token' as const })
const MALFORMED = Object.freeze({ reason: 'invalid_request' as const })
// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; the scheme is case-insensitive (RFC 9110 §11.1).
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i
const SCHEME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?: |$)/

/**
 * The fast path: the token of a well-formed `Bearer <token>` header, or undefined when anything
 * looks unusual (then {@link readBearer} decides). Allocates only the token slice.
 */
export function quickBearer (header: string | undefined): string | undefined {
  if (header === undefined || header.length < 8 || header.charCodeAt(6) !== 32) return undefined
  const c = header.charCodeAt(0)
  if ((c !== 66 && c !== 98) || header.slice(1, 6).toLowerCase() !== 'earer') return undefined
  return header.slice(7)
}

/**
 * Reads the bearer credentials of a request per RFC 6750 §2.1 and §3.1: no header, or another
 * scheme (Basic, Negotiate), means no token; a repeated header, `Bearer` without a token, or
 * anything after the token is a malformed request. Tokens in the query or body are not accepted.
 */
export function readBearer (raw: IncomingMessage): BearerCredentials {
  if (authorizationCount(raw.rawHeaders) > 1) return MALFORMED
  const header = raw.headers.authorization
  if (header === undefined || header === '') return NO_TOKEN
  const match = BEARER.exec(header)
  if (match?.[1] !== undefined) return { token: match[1] }
  if (/^bearer(?: |$)/i.test(header) || !SCHEME.test(header)) return MALFORMED
  return NO_TOKEN
}

/** How many Authorization headers arrived: Node keeps only the first in `headers`. */
export function authorizationCount (rawHeaders: readonly string[]): number {
  let count = 0
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string
    if (name.length === 13 && name.toLowerCase() === 'authorization') count += 1
  }
  return count
}
