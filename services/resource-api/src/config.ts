import { GUID_PATTERN, SettingsError, commaList, httpsUrl, listenSettings, loadSettings, portSetting } from '@entra-s2s/shared'

/** The resource API's settings, parsed once at start. */
export interface Config {
  readonly host: string
  readonly port: number
  readonly logLevel: string
  readonly tenantId: string
  readonly authorityHost: string
  readonly audiences: readonly string[]
  readonly acceptedTenantIds: readonly string[]
}

interface RawSettings {
  HOST: string
  PORT: number
  LOG_LEVEL: string
  AZURE_TENANT_ID: string
  AZURE_AUTHORITY_HOST: string
  API_AUDIENCES: string
  ACCEPTED_TENANT_IDS?: string
}

const schema = {
  required: ['AZURE_TENANT_ID', 'API_AUDIENCES'],
  properties: {
    ...listenSettings,
    PORT: portSetting(3001),
    AZURE_TENANT_ID: { type: 'string', description: "the API's home tenant ID (a GUID)", pattern: GUID_PATTERN },
    AZURE_AUTHORITY_HOST: {
      type: 'string',
      description: 'the https authority host, e.g. https://login.microsoftonline.com',
      default: 'https://login.microsoftonline.com'
    },
    API_AUDIENCES: { type: 'string', description: 'a comma list of accepted audiences: App ID URI and/or application (client) ID' },
    ACCEPTED_TENANT_IDS: { type: 'string', description: 'a comma list of tenant IDs (GUIDs) whose tokens are accepted' }
  }
} as const

const GUID = new RegExp(GUID_PATTERN)
// An audience is a GUID or an absolute URI; quotes, commas and spaces would break the challenge header.
const AUDIENCE = /^[^\s",\\]+$/

/** Reads and validates the settings; throws a one-line {@link SettingsError} naming the first bad one. */
export function loadConfig (env: NodeJS.ProcessEnv): Config {
  const raw = loadSettings<RawSettings>(schema, env)
  const tenantId = raw.AZURE_TENANT_ID.toLowerCase()
  const audiences = commaList(raw.API_AUDIENCES)
  if (audiences.length === 0 || !audiences.every((aud) => AUDIENCE.test(aud) && (GUID.test(aud) || URL.canParse(aud)))) {
    throw new SettingsError('API_AUDIENCES', `API_AUDIENCES is invalid: expected ${schema.properties.API_AUDIENCES.description}`)
  }
  const accepted = raw.ACCEPTED_TENANT_IDS === undefined ? [tenantId] : commaList(raw.ACCEPTED_TENANT_IDS)
  if (accepted.length === 0 || !accepted.every((tid) => GUID.test(tid))) {
    throw new SettingsError('ACCEPTED_TENANT_IDS', `ACCEPTED_TENANT_IDS is invalid: expected ${schema.properties.ACCEPTED_TENANT_IDS.description}`)
  }
  return Object.freeze({
    host: raw.HOST,
    port: raw.PORT,
    logLevel: raw.LOG_LEVEL,
    tenantId,
    authorityHost: httpsUrl('AZURE_AUTHORITY_HOST', raw.AZURE_AUTHORITY_HOST),
    audiences: Object.freeze(audiences),
    acceptedTenantIds: Object.freeze([...new Set(accepted.map((tid) => tid.toLowerCase()))])
  })
}
