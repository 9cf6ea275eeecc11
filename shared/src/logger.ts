import type { LoggerOptions } from 'pino'

/**
 * Paths pino censors wherever they appear in a log object: credentials, assertions and tokens.
 * Services log none of these on purpose; this is the safety net.
 */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'client_secret',
  'client_assertion',
  'access_token',
  'clientSecret',
  'clientAssertion',
  'accessToken',
  'token',
  'password',
  '*.client_secret',
  '*.client_assertion',
  '*.access_token',
  '*.clientSecret',
  '*.clientAssertion',
  '*.accessToken',
  '*.token',
  '*.password',
  '*.authorization'
]

/** pino options shared by every service: level, redaction, and request logs without query strings. */
export function loggerOptions (level: string, name: string): LoggerOptions {
  return {
    level,
    name,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: {
      req: (req: { method: string, url: string, id: string }) => ({ method: req.method, path: req.url.split('?')[0], id: req.id })
    }
  }
}
