import Fastify from 'fastify'
import { Pool } from 'undici'
import { useProblemDetails } from '@entra-s2s/shared'
import { announce, FORECAST_PATH } from './common.js'
import { getForecastSchema } from './forecast.js'

// Scenario 4's baseline: a bare Fastify route (no logger) proxying to the resource API with a static token, no token
// provider, through an undici Pool configured like the client-api's; the response schema is the resource API's.
const upstream = process.env['BENCH_UPSTREAM']
const token = process.env['BENCH_TOKEN']
if (!upstream || !token) throw new Error('BENCH_UPSTREAM and BENCH_TOKEN are required')

const pool = new Pool(upstream, { connections: 128, keepAliveTimeout: 30_000, connectTimeout: 5_000, headersTimeout: 5_000, bodyTimeout: 5_000 })
const headers = { authorization: `Bearer ${token}`, accept: 'application/json' }
const app = Fastify()
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
