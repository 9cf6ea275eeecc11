// The yardstick for client-api's GET /: a bare Fastify route proxying to the same resource route with a static
// token through an undici Pool configured like client-api's. No logger, no schema, no token logic.
// SAME_BYTES=true adds only what client-api must put on the wire: x-request-id (forwarded and echoed) and token facts.
import { randomUUID } from 'node:crypto'
import Fastify from 'fastify'
import { Pool } from 'undici'

const target = new URL(process.env['RESOURCE_API_URL'] ?? '')
const authorization = `Bearer ${process.env['STATIC_TOKEN'] ?? ''}`
const pool = new Pool(target.origin, { connections: 128, keepAliveTimeout: 30_000, connectTimeout: 5000, headersTimeout: 5000, bodyTimeout: 5000 })
const app = Fastify()

const sameBytes = process.env['SAME_BYTES'] === 'true'
const token = { source: 'cache', expiresOn: new Date(Date.now() + 3_600_000).toISOString(), scope: process.env['SCOPE'] ?? '' }

app.get('/', async (_request, reply) => {
  if (!sameBytes) {
    const res = await pool.request({ method: 'GET', path: '/api/forecast', headers: { authorization, accept: 'application/json' } })
    reply.code(res.statusCode)
    return res.body.json()
  }
  const requestId = randomUUID()
  const res = await pool.request({ method: 'GET', path: '/api/forecast', headers: { authorization, accept: 'application/json', 'x-request-id': requestId } })
  reply.code(res.statusCode).header('x-request-id', requestId)
  return { ...(await res.body.json() as object), token }
})

await app.listen({ host: '127.0.0.1', port: 0 })
const address = app.server.address()
process.stdout.write(`${JSON.stringify({ msg: 'listening', url: `http://localhost:${typeof address === 'object' && address ? address.port : 0}` })}\n`)
process.on('SIGTERM', () => { app.close().then(() => pool.close()).finally(() => process.exit(0)) })
