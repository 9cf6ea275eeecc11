import type { FastifyInstance } from 'fastify'
import { buildApp, type AppDeps } from '../../src/app.js'
import type { Config } from '../../src/config.js'
import { API_APP_ID, API_APP_ID_URI, AUTHORITY, T0, TENANT_A, type MockEntra } from './mock-entra.js'

/** A pinned clock the test moves by hand. */
export interface TestClock { at: number, readonly now: () => number }

export const pinnedClock = (at = T0): TestClock => {
  const clock = { at, now: () => clock.at }
  return clock
}

export const testConfig = (overrides: Partial<Config> = {}): Config => ({
  host: '127.0.0.1',
  port: 0,
  logLevel: 'info',
  tenantId: TENANT_A,
  authorityHost: AUTHORITY,
  audiences: [API_APP_ID, API_APP_ID_URI],
  acceptedTenantIds: [TENANT_A],
  ...overrides
})

/** An app over the mock provider, ready (keys loaded), closed in teardown; `logs` collects its log lines. */
export async function build (
  t: { teardown: (fn: () => unknown) => void },
  entra: MockEntra,
  options: { clock?: TestClock, config?: Partial<Config>, deps?: AppDeps, waitReady?: boolean } = {}
): Promise<{ app: FastifyInstance, logs: Array<Record<string, unknown>>, clock: TestClock }> {
  const clock = options.clock ?? pinnedClock()
  const logs: Array<Record<string, unknown>> = []
  const app = await buildApp(testConfig(options.config), {
    now: clock.now,
    dispatcher: entra.agent,
    logStream: { write: (line) => { logs.push(JSON.parse(line) as Record<string, unknown>) } },
    ...options.deps
  })
  t.teardown(() => app.close())
  await app.ready()
  if (options.waitReady !== false) await app.entraAuth.whenReady()
  return { app, logs, clock }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
