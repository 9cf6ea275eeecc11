import type { FastifyInstance } from 'fastify'
import { Server as HttpsServer } from 'node:https'
import closeWithGrace from 'close-with-grace'
import { SettingsError } from './settings.js'

/** The listen settings a service's config carries. */
export interface ListenConfig {
  readonly host: string
  readonly port: number
}

/** What `runService` needs: the service's name, its config loader and its app factory. */
export interface ServiceEntry<C extends ListenConfig> {
  readonly name: string
  readonly loadConfig: (env: NodeJS.ProcessEnv) => C | Promise<C>
  readonly buildApp: (config: C) => Promise<FastifyInstance>
}

const SHUTDOWN_GRACE_MS = 10_000

function fail (name: string, message: string): never {
  process.stderr.write(`${name}: ${message}\n`)
  process.exit(1)
}

/** The URL a client on this machine uses to reach `app`. */
export function listeningUrl (app: FastifyInstance, host: string): string {
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const protocol = app.server instanceof HttpsServer ? 'https' : 'http'
  const local = ['localhost', '0.0.0.0', '::', '127.0.0.1', '::1'].includes(host) ? 'localhost' : host
  return `${protocol}://${local}:${port}`
}

/**
 * The whole life of a service process: read settings (one line and exit 1 when wrong), build, listen,
 * log `listening` with the URL, and close gracefully on SIGINT/SIGTERM or a crash.
 */
export async function runService<C extends ListenConfig> (entry: ServiceEntry<C>): Promise<FastifyInstance> {
  let config: C
  try {
    config = await entry.loadConfig(process.env)
  } catch (err) {
    if (err instanceof SettingsError) fail(entry.name, err.message)
    throw err
  }
  const app = await entry.buildApp(config)
  closeWithGrace({ delay: SHUTDOWN_GRACE_MS }, async ({ err, signal }) => {
    if (err) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
  })
  try {
    await app.listen({ host: config.host, port: config.port })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') fail(entry.name, `port ${config.port} is already in use: stop what holds it or set PORT`)
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') fail(entry.name, `cannot listen on host ${config.host}: check HOST`)
    throw err
  }
  app.log.info({ url: listeningUrl(app, config.host) }, 'listening')
  return app
}
