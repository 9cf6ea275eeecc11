import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import { healthRoutes, lazyChildLogger, loggerOptions, useProblemDetails } from '@entra-s2s/shared'
import type { Config } from './config.js'
import { translateMsalError } from './error-translation.js'
import { createIdpHttp } from './idp-http.js'
import { createMsalAcquirer } from './msal-acquirer.js'
import { createResourceClient } from './resource-client.js'
import { forecastRoutes } from './routes.js'
import { createTokenProvider, type Timers, type TokenAcquirer } from './token-provider.js'

/** What tests may replace: the token acquirer (instead of MSAL), the clock and the timers. */
export interface AppDeps {
  readonly acquire?: TokenAcquirer
  readonly now?: () => number
  readonly timers?: Timers
}

const REQUEST_ID = /^[\w.:-]{1,128}$/

/** The client-api: `GET /` (forecast through the resource API with an app token) and health routes. Never listens. */
export async function buildApp (config: Config, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config.logLevel, 'client-api'),
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyChildLogger,
    requestIdHeader: false,
    genReqId: (req) => {
      const id = req.headers['x-request-id']
      return typeof id === 'string' && REQUEST_ID.test(id) ? id : randomUUID()
    }
  })
  useProblemDetails(app)

  const scope = config.resourceApiScope
  const http = createIdpHttp()
  const acquire = deps.acquire ?? createMsalAcquirer({ ...config, http, log: app.log })
  const tokenLog = app.log.child({ component: 'token-provider' })
  const tokens = createTokenProvider({
    acquire,
    ...(deps.now === undefined ? {} : { now: deps.now }),
    ...(deps.timers === undefined ? {} : { timers: deps.timers }),
    onError (err, { retryInMs, servingCachedToken }) {
      const { code, reason, aadsts } = translateMsalError(err)
      tokenLog.warn({ code, reason, aadsts, retryInMs, servingCachedToken }, 'token acquisition failed')
    }
  })
  const resource = createResourceClient({ url: config.resourceApiUrl, timeoutMs: config.resourceApiTimeoutMs })
  app.log.info({
    authorityHost: config.authorityHost,
    tenantId: config.tenantId,
    clientId: config.clientId,
    credential: config.credential.kind,
    resourceApiUrl: config.resourceApiUrl,
    scope
  }, 'client configured')

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    done()
  })
  healthRoutes(app, () => tokens.hasToken(scope))
  await app.register(forecastRoutes, { tokens, resource, scope })

  app.addHook('onReady', async () => tokens.warm(scope))
  app.addHook('onClose', async () => {
    tokens.close()
    await Promise.all([resource.close(), http.close()])
  })
  return app
}
