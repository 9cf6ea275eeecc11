import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  SettingsError, defaultTlsDir, ensureDevTls, httpsUrl, listenSettings, loadSettings, portSetting,
  type DevTls, type ListenConfig, type SettingsSchema
} from '@entra-s2s/shared'
import type { Directory } from './directory.js'
import { loadRegistrations } from './load-registrations.js'
import { RegistrationsError } from './registrations.js'

/** The emulator's settings, parsed once, plus what they point at (registrations, TLS material). */
export interface EmulatorConfig extends ListenConfig {
  readonly logLevel: string
  /** EMULATOR_PUBLIC_URL without a trailing slash; undefined means https://localhost:<bound port>. */
  readonly publicUrl: string | undefined
  readonly registrationsPath: string
  readonly directory: Directory
  readonly tokenLifetimeS: number
  readonly admin: boolean
  readonly tls: DevTls
}

/** The demo registrations shipped with the emulator. */
export const bundledRegistrations = fileURLToPath(new URL('../registrations.json', import.meta.url))

const schema: SettingsSchema = {
  properties: {
    PORT: portSetting(8443),
    ...listenSettings,
    EMULATOR_REGISTRATIONS: { type: 'string', description: 'the path of a registrations JSON file', minLength: 1 },
    EMULATOR_PUBLIC_URL: { type: 'string', description: 'an https:// URL, the issuer base clients reach the emulator at', minLength: 1 },
    EMULATOR_TLS_DIR: { type: 'string', description: 'a directory for the dev CA and server certificate', minLength: 1 },
    EMULATOR_TOKEN_LIFETIME_S: { type: 'integer', description: 'token lifetime in seconds, 60 to 86400', default: 3599, minimum: 60, maximum: 86400 },
    EMULATOR_ADMIN: { type: 'boolean', description: 'true or false (the /_emulator admin API)', default: true }
  }
}

interface Settings {
  PORT: number
  HOST: string
  LOG_LEVEL: string
  EMULATOR_REGISTRATIONS?: string
  EMULATOR_PUBLIC_URL?: string
  EMULATOR_TLS_DIR?: string
  EMULATOR_TOKEN_LIFETIME_S: number
  EMULATOR_ADMIN: boolean
}

/**
 * Reads the emulator's settings from `env`, loads and validates the registrations file, and ensures the dev TLS
 * material. Throws a one-line {@link SettingsError}; for a bad registrations file it names the file, the JSON path
 * and the problem.
 */
export async function loadConfig (env: NodeJS.ProcessEnv): Promise<EmulatorConfig> {
  const settings = loadSettings<Settings>(schema, env)
  const publicUrl = settings.EMULATOR_PUBLIC_URL === undefined ? undefined : httpsUrl('EMULATOR_PUBLIC_URL', settings.EMULATOR_PUBLIC_URL)
  const registrationsPath = resolve(settings.EMULATOR_REGISTRATIONS ?? bundledRegistrations)
  let directory: Directory
  try {
    directory = await loadRegistrations(registrationsPath)
  } catch (err) {
    if (!(err instanceof RegistrationsError)) throw err
    throw new SettingsError('EMULATOR_REGISTRATIONS', `EMULATOR_REGISTRATIONS: ${registrationsPath} is invalid at ${err.message}`)
  }
  const extraHosts = publicUrl === undefined ? [] : [new URL(publicUrl).hostname]
  const tls = await ensureDevTls(settings.EMULATOR_TLS_DIR === undefined ? defaultTlsDir : resolve(settings.EMULATOR_TLS_DIR), extraHosts)
  return Object.freeze({
    host: settings.HOST,
    port: settings.PORT,
    logLevel: settings.LOG_LEVEL,
    publicUrl,
    registrationsPath,
    directory,
    tokenLifetimeS: settings.EMULATOR_TOKEN_LIFETIME_S,
    admin: settings.EMULATOR_ADMIN,
    tls
  })
}
