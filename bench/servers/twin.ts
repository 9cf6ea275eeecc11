import Fastify, { LogController } from 'fastify'
import { loggerOptions, useProblemDetails } from '@entra-s2s/shared'
import { announce, FORECAST_PATH } from './common.js'
import { forecastBody, getForecastSchema } from './forecast.js'
import { CLIENT_APP } from '../lib/demo.js'

// The baseline: resource-api's app shape (logger, problem details, route schema, payload) with no auth at all.
const caller = Object.freeze({
  appId: CLIENT_APP.clientId,
  tenantId: CLIENT_APP.tenantId,
  objectId: '00000000-0000-0000-0000-000000000000',
  roles: Object.freeze(['Forecast.Read']),
  tokenVersion: '2.0' as const
})

const app = Fastify({ logger: loggerOptions('info', 'twin'), logController: new LogController({ disableRequestLogging: true }) })
useProblemDetails(app)
app.get(FORECAST_PATH, { schema: getForecastSchema }, async () => forecastBody(caller))

await app.listen({ host: '127.0.0.1', port: 0 })
announce(app.server)
