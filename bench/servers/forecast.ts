import { FORECAST, getForecastSchema } from '@entra-s2s/resource-api/dist/routes/forecast.js'
import type { Caller } from '@entra-s2s/resource-api/dist/entra-auth/plugin.js'

// The resource API's own payload and response schema, so every bench server does the same work after auth.
export { FORECAST, getForecastSchema }

/** The caller as the resource API shows it, from verified v2 claims. */
export function callerFrom (claims: Record<string, unknown>): Caller {
  return {
    appId: String(claims['azp']),
    tenantId: String(claims['tid']),
    objectId: String(claims['oid']),
    roles: Array.isArray(claims['roles']) ? claims['roles'].map(String) : [],
    tokenVersion: '2.0'
  }
}

export function forecastBody (caller: Caller) {
  return { forecast: FORECAST, caller }
}
