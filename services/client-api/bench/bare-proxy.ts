// The yardstick for client-api's GET /: a bare Fastify route proxying to the same resource route with a static
// token through an undici Pool configured like client-api's. No logger, no schema, no token logic.
import Fastify from 'fastify'
import { Pool } from 'undici'

const target = new URL(process.env['RESOURCE_API_URL'] ?? '')
const authorization = `Bearer ${process.env['STATIC_TOKEN'] ?? ''}`
const pool = new Pool(target.origin, { connections: 128, keepAliveTimeout: 30_000, connectTimeout: 5000, headersTimeout: 5000, bodyTimeout: 5000 })
const app = Fastify()

app.get('/', async (_request, reply) => {
  const res = await pool.request({ method: 'GET', path: '/api/forecast', headers: { authorization, accept: 'application/json' } })
  reply.code(res.statusCode)
  return res.body.json()
})

await app.listen({ host: '127.0.0.1', port: 0 })
const address = app.server.address()
process.stdout.write(`${JSON.stringify({ msg: 'listening', url: `http://localhost:${typeof address === 'object' && address ? address.port : 0}` })}\n`)
process.on('SIGTERM', () => { app.close().then(() => pool.close()).finally(() => process.exit(0)) })
