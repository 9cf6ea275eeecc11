import { randomBytes } from 'node:crypto'
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify'
import { healthRoutes, loggerOptions } from '@entra-s2s/shared'
import { aadsts } from './aadsts-error.js'
import { handleError, sendAadsts } from './aadsts-reply.js'
import { adminRoutes } from './admin-routes.js'
import type { EmulatorConfig } from './config.js'
import type { EmulatorContext } from './context.js'
import { createFaults } from './faults.js'
import { createKeyStore } from './key-store.js'
import { metadataRoutes } from './metadata-routes.js'
import { createStats } from './stats.js'
import { tokenRoutes } from './token-routes.js'

/** Injectable time (epoch ms) and randomness, so tests pin them instead of sleeping. */
export interface EmulatorDeps {
  readonly now?: () => number
  readonly random?: (bytes: number) => string
}

/** Builds the emulator over HTTPS (no listen, no env): metadata, keys, token endpoints, health and the admin API. */
export async function buildApp (config: EmulatorConfig, deps: EmulatorDeps = {}): Promise<FastifyInstance> {
  const now = deps.now ?? Date.now
  // RSA key generation runs on the libuv pool: let it overlap with building the app.
  const keys = createKeyStore({ now })
  const app = Fastify({
    https: { key: config.tls.key, cert: config.tls.cert },
    logger: loggerOptions(config.logLevel, 'entra-emulator'),
    // Refuse unknown admin settings instead of silently dropping them.
    ajv: { customOptions: { removeAdditional: false } },
    // One line per token request is logged by the token routes; a per-request access log is noise here.
    logController: new LogController({ disableRequestLogging: true })
  })
  const boundPort = () => {
    const address = app.server.address()
    return typeof address === 'object' && address ? address.port : config.port
  }
  const context: EmulatorContext = {
    directory: config.directory,
    keys: await keys,
    stats: createStats(),
    faults: createFaults(),
    lifetimeS: config.tokenLifetimeS,
    now,
    random: deps.random ?? ((bytes) => randomBytes(bytes).toString('base64url')),
    issuerBase: () => config.publicUrl ?? `https://localhost:${boundPort()}`
  }
  app.addHook('preClose', async () => context.faults.close())

  app.setErrorHandler((error: FastifyError, _request, reply) => { handleError(error, reply, now()) })
  app.setNotFoundHandler((_request, reply) => sendAadsts(reply, aadsts.notFound(), now()))

  healthRoutes(app, () => true)
  await app.register(metadataRoutes, context)
  await app.register(tokenRoutes, context)
  if (config.admin) await app.register(adminRoutes, context)
  return app
}
