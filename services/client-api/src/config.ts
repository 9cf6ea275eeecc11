import { GUID_PATTERN, SettingsError, httpsUrl, listenSettings, loadSettings, portSetting, type ListenConfig, type SettingsSchema } from '@entra-s2s/shared'
import { loadCredential, type Credential, type CredentialSettings } from './credential.js'

export interface Config extends ListenConfig {
  readonly logLevel: string
  readonly tenantId: string
  readonly clientId: string
  readonly credential: Credential
  /** Scheme and host of the identity provider, without a trailing slash. */
  readonly authorityHost: string
  readonly resourceApiUrl: string
  readonly resourceApiScope: string
  readonly resourceApiTimeoutMs: number
}

interface Settings extends CredentialSettings {
  readonly HOST: string
  readonly PORT: number
  readonly LOG_LEVEL: string
  readonly AZURE_TENANT_ID: string
  readonly AZURE_CLIENT_ID: string
  readonly AZURE_AUTHORITY_HOST: string
  readonly RESOURCE_API_URL: string
  readonly RESOURCE_API_SCOPE: string
  readonly RESOURCE_API_TIMEOUT_MS: number
}

const schema: SettingsSchema = {
  required: ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'RESOURCE_API_URL', 'RESOURCE_API_SCOPE'],
  properties: {
    ...listenSettings,
    PORT: portSetting(3000),
    AZURE_TENANT_ID: { type: 'string', pattern: GUID_PATTERN, description: 'the directory (tenant) ID, a GUID' },
    AZURE_CLIENT_ID: { type: 'string', pattern: GUID_PATTERN, description: 'the application (client) ID of this client, a GUID' },
    AZURE_CLIENT_SECRET: { type: 'string', description: 'the client secret value' },
    AZURE_CLIENT_SECRET_FILE: { type: 'string', description: 'the path of a file holding the client secret' },
    AZURE_CLIENT_CERTIFICATE_PATH: { type: 'string', description: 'the path of a PEM file holding the private key and certificate' },
    AZURE_CLIENT_CERTIFICATE_PASSWORD: { type: 'string', description: 'the password of the encrypted private key' },
    AZURE_CLIENT_SEND_CERTIFICATE_CHAIN: { type: 'boolean', description: 'true or false: send the certificate chain (x5c) for subject name/issuer auth' },
    AZURE_FEDERATED_TOKEN_FILE: { type: 'string', description: 'the path of a file holding a federated client assertion' },
    AZURE_AUTHORITY_HOST: { type: 'string', default: 'https://login.microsoftonline.com', description: 'the https:// origin of the identity provider' },
    RESOURCE_API_URL: { type: 'string', description: 'the http(s):// base URL of the resource API' },
    RESOURCE_API_SCOPE: { type: 'string', pattern: '^\\S+/\\.default$', description: 'the resource\'s scope ending in /.default, e.g. api://<resource appId>/.default' },
    RESOURCE_API_TIMEOUT_MS: { type: 'integer', default: 5000, minimum: 1, maximum: 600_000, description: 'milliseconds, 1 to 600000, allowed for connecting, for headers and for the body' }
  }
}

function authorityHost (value: string): string {
  const url = new URL(httpsUrl('AZURE_AUTHORITY_HOST', value))
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new SettingsError('AZURE_AUTHORITY_HOST', 'AZURE_AUTHORITY_HOST is invalid: expected an https:// origin without a path, e.g. https://login.microsoftonline.com')
  }
  return url.origin
}

function resourceUrl (value: string): string {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {}
  if (url === undefined || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw new SettingsError('RESOURCE_API_URL', 'RESOURCE_API_URL is invalid: expected an http:// or https:// base URL without query or credentials')
  }
  return url.href.replace(/\/+$/, '')
}

/** Reads the client-api settings from `env` once: a frozen config, or a {@link SettingsError} naming the bad setting. */
export function loadConfig (env: NodeJS.ProcessEnv): Config {
  const settings = loadSettings<Settings>(schema, env)
  return Object.freeze({
    host: settings.HOST,
    port: settings.PORT,
    logLevel: settings.LOG_LEVEL,
    tenantId: settings.AZURE_TENANT_ID.toLowerCase(),
    clientId: settings.AZURE_CLIENT_ID.toLowerCase(),
    credential: loadCredential(settings),
    authorityHost: authorityHost(settings.AZURE_AUTHORITY_HOST),
    resourceApiUrl: resourceUrl(settings.RESOURCE_API_URL),
    resourceApiScope: settings.RESOURCE_API_SCOPE,
    resourceApiTimeoutMs: settings.RESOURCE_API_TIMEOUT_MS
  })
}
