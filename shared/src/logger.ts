import type { LoggerOptions } from 'pino'

const sensitiveKeys = [
  'authorization', 'cookie', 'client_secret', 'client_assertion', 'access_token',
  'clientSecret', 'clientAssertion', 'accessToken', 'token', 'secret', 'password', 'privateKey'
]
const wherever = ['', 'body.', 'req.body.', 'headers.', 'req.headers.', 'credential.', 'err.', 'err.cause.']

/**
 * Paths pino censors in a log object: credentials, assertions and tokens at the top level and where a request, body,
 * credential or error would carry them. Services log none of these on purpose; this is the safety net.
 * Explicit paths, no `*.` wildcards: a wildcard makes every per-request child logger cost ~1.5 µs more.
 */
export const redactPaths = wherever.flatMap((prefix) => sensitiveKeys.map((key) => `${prefix}${key}`))

/** pino options shared by every service: level, redaction, and request logs without query strings. */
export function loggerOptions (level: string, name: string): LoggerOptions {
  return {
    level,
    name,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string, url?: string, id?: string }) => ({ method: req.method, path: req.url?.split('?')[0], id: req.id })
    }
  }
}
