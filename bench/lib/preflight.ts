import { request } from 'undici'
import { TENANT_B_CLIENT, UNPRIVILEGED_CLIENT } from './demo.js'
import type { Emulator } from './emulator.js'

/** How a validating server answered the correctness probes that run before it is measured. */
export interface Preflight {
  readonly passed: number
  readonly total: number
  readonly failures: readonly string[]
}

function tamper (token: string): string {
  // Change one character in the middle of the signature: same length, invalid signature.
  const at = token.lastIndexOf('.') + 20
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1)
}

/**
 * Proves a contender really checks what it claims before its speed is measured: a valid Forecast.Read
 * token gets 200 with the forecast; no token, a bad signature, another tenant's issuer get 401; a valid
 * token without the role gets 403.
 */
export async function preflight (url: string, emulator: Emulator, validToken: string): Promise<Preflight> {
  const [unprivileged, otherTenant] = await Promise.all([emulator.token(UNPRIVILEGED_CLIENT), emulator.token(TENANT_B_CLIENT)])
  const probes: Array<[string, string | undefined, number]> = [
    ['valid token', validToken, 200],
    ['no token', undefined, 401],
    ['bad signature', tamper(validToken), 401],
    ['tenant B issuer', otherTenant, 401],
    ['no Forecast.Read role', unprivileged, 403]
  ]
  const failures: string[] = []
  for (const [name, token, expected] of probes) {
    const res = await request(url, { headers: token ? { authorization: `Bearer ${token}` } : {} })
    const body = await res.body.text()
    const forecastOk = expected !== 200 || (JSON.parse(body) as { forecast?: unknown[] }).forecast?.length === 5
    if (res.statusCode !== expected || !forecastOk) failures.push(`${name}: expected ${expected}, got ${res.statusCode}`)
  }
  return { passed: probes.length - failures.length, total: probes.length, failures }
}
