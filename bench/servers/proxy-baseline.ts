import Fastify, { LogController } from 'fastify'
import { Pool } from 'undici'
import { loggerOptions, useProblemDetails } from '@entra-s2s/shared'
import { announce, FORECAST_PATH } from './common.js'
import { getForecastSchema } from './forecast.js'

// Scenario 4's baseline: a bare route proxying to the resource API with a static token (no token provider).
const upstream = process.env['BENCH_UPSTREAM']
const token = process.env['BENCH_TOKEN']
if (!upstream || !token) throw new Error('BENCH_UPSTREAM and BENCH_TOKEN are required')

const pool = new Pool(upstream, { connections: 128, keepAliveTimeout: 30_000, headersTimeout: 5_000, bodyTimeout: 5_000 })
const headers = { authorization: `Bearer ${token}`, accept: 'application/json' }
const app = Fastify({ logger: loggerOptions('info', 'proxy-baseline'), logController: new LogController({ disableRequestLogging: true }) })
useProblemDetails(app)
app.addHook('onClose', async () => pool.close())

app.get('/', { schema: { response: { 200: getForecastSchema.response[200] } } }, async () => {
  const res = await pool.request({ method: 'GET', path: FORECAST_PATH, headers })
  if (res.statusCode !== 200) {
    await res.body.dump()
    throw new Error(`resource API answered ${res.statusCode}`)
  }
  return res.body.json()
})

await app.listen({ host: '127.0.0.1', port: 0 })
announce(app.server)
