import Fastify, { LogController, type FastifyInstance } from 'fastify'
import type { Dispatcher } from 'undici'
import { healthRoutes, lazyChildLogger, loggerOptions, useProblemDetails } from '@entra-s2s/shared'
import { entraAuth } from './entra-auth/plugin.js'
import { forecastRoutes } from './routes/forecast.js'
import { whoamiRoutes } from './routes/whoami.js'
import type { Config } from './config.js'

/** What tests and benchmarks may swap: the clock, the provider dispatcher, the log destination. */
export interface AppDeps {
  readonly now?: () => number
  readonly dispatcher?: Dispatcher
  readonly logStream?: { write: (line: string) => void }
  /** Provider timings, for tests that exercise refresh and retry without waiting minutes. */
  readonly refetchCooldownMs?: number
  readonly retryMinMs?: number
}

/** Builds the resource API: token validation, the forecast and whoami routes, health probes. */
export async function buildApp (config: Config, deps: AppDeps = {}): Promise<FastifyInstance> {
  const logger = { ...loggerOptions(config.logLevel, 'resource-api'), ...(deps.logStream ? { stream: deps.logStream } : {}) }
  const app = Fastify({ logger, logController: new LogController({ disableRequestLogging: true }), childLoggerFactory: lazyChildLogger })
  useProblemDetails(app)
  await app.register(entraAuth, {
    authorityHost: config.authorityHost,
    tenantId: config.tenantId,
    audiences: config.audiences,
    acceptedTenantIds: config.acceptedTenantIds,
    now: deps.now,
    dispatcher: deps.dispatcher,
    refetchCooldownMs: deps.refetchCooldownMs,
    retryMinMs: deps.retryMinMs
  })
  healthRoutes(app, () => app.entraAuth.isReady())
  await app.register(forecastRoutes, { require: app.entraAuth.require })
  await app.register(whoamiRoutes, { require: app.entraAuth.require })
  return app
}
