import Fastify, { LogController } from 'fastify'
import { loggerOptions, useProblemDetails } from '@entra-s2s/shared'
import { announce, FORECAST_PATH } from './common.js'
import { forecastBody, getForecastSchema } from './forecast.js'
import { CLIENT_APP } from '../lib/demo.js'

// The baseline: bare Fastify (no logger) serving the resource API's route schema and payload, with no auth at all.
const caller = Object.freeze({
  appId: CLIENT_APP.clientId,
  tenantId: CLIENT_APP.tenantId,
  objectId: '00000000-0000-0000-0000-000000000000',
  roles: Object.freeze(['Forecast.Read']),
  tokenVersion: '2.0' as const
})

// BENCH_TWIN_LOGGER=1: the services' logger settings (info, shared redaction, no request log), to split their cost from auth's.
const app = process.env['BENCH_TWIN_LOGGER'] === '1'
  ? Fastify({ logger: loggerOptions('info', 'twin'), logController: new LogController({ disableRequestLogging: true }) })
  : Fastify()
useProblemDetails(app)
app.get(FORECAST_PATH, { schema: getForecastSchema }, async () => forecastBody(caller))

await app.listen({ host: '127.0.0.1', port: 0 })
announce(app.server)
