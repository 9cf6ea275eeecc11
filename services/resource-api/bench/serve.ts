// One benchmark target per process: `auth` is the real app (buildApp) over a mock provider, with one valid
// token; `bare` is the same Fastify set-up and GET /api/forecast handler and payload with no authentication.
// Prints one JSON line { url, token } on stdout once listening.
import Fastify, { LogController } from 'fastify'
import { loggerOptions, useProblemDetails } from '@entra-s2s/shared'
import { buildApp } from '../src/app.js'
import { FORECAST, getForecastSchema } from '../src/routes/forecast.js'
import type { Caller } from '../src/entra-auth/plugin.js'
import { API_APP_ID, API_APP_ID_URI, AUTHORITY, CLIENT_ID, CLIENT_OID, TENANT_A, createMockEntra, createTestKey, mint, v2Claims } from '../test/helpers/mock-entra.js'

const mode = process.argv[2]
const silent = { write: () => {} }
const key = createTestKey('bench-key')
const token = mint(key, v2Claims(Date.now()))

async function bare () {
  const app = Fastify({ logger: { ...loggerOptions('info', 'bare'), stream: silent }, logController: new LogController({ disableRequestLogging: true }) })
  useProblemDetails(app)
  const caller: Caller = { appId: CLIENT_ID, tenantId: TENANT_A, objectId: CLIENT_OID, roles: ['Forecast.Read'], tokenVersion: '2.0' }
  app.get('/api/forecast', { schema: getForecastSchema }, async () => ({ forecast: FORECAST, caller }))
  return app
}

async function auth () {
  const config = {
    host: '127.0.0.1',
    port: 0,
    logLevel: 'info',
    tenantId: TENANT_A,
    authorityHost: AUTHORITY,
    audiences: [API_APP_ID, API_APP_ID_URI],
    acceptedTenantIds: [TENANT_A]
  }
  const app = await buildApp(config, { dispatcher: createMockEntra([key]).agent, logStream: silent })
  await app.ready()
  await app.entraAuth.whenReady()
  return app
}

if (mode !== 'auth' && mode !== 'bare') throw new Error('usage: serve.ts auth|bare')
const app = mode === 'auth' ? await auth() : await bare()
const url = await app.listen({ host: '127.0.0.1', port: 0 })
process.stdout.write(`${JSON.stringify({ url, token })}\n`)
process.on('SIGTERM', () => { app.close().then(() => process.exit(0), () => process.exit(1)) })
