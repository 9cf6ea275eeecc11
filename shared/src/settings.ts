import { envSchema } from 'env-schema'

/** One setting's rule: a JSON Schema fragment whose `description` says what is expected. */
export interface SettingRule {
  readonly type: 'string' | 'integer' | 'number' | 'boolean'
  readonly description: string
  readonly default?: string | number | boolean
  readonly pattern?: string
  readonly enum?: readonly (string | number | boolean)[]
  readonly minimum?: number
  readonly maximum?: number
  readonly minLength?: number
}

/** The settings a service reads: names to rules, and which must be present. */
export interface SettingsSchema {
  readonly required?: readonly string[]
  readonly properties: Readonly<Record<string, SettingRule>>
}

/** A setting is missing or wrong. The message is one line naming it; it never holds the value. */
export class SettingsError extends Error {
  readonly setting: string
  constructor (setting: string, message: string) {
    super(message)
    this.name = 'SettingsError'
    this.setting = setting
  }
}

/** Anchored GUID pattern, for tenant and application (client) IDs. */
export const GUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'

/** The listen settings every service honours. */
export const listenSettings = {
  HOST: { type: 'string', description: 'the interface to listen on, e.g. localhost or 0.0.0.0', default: 'localhost', minLength: 1 },
  LOG_LEVEL: {
    type: 'string',
    description: 'one of fatal, error, warn, info, debug, trace, silent',
    default: 'info',
    enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
  }
} as const satisfies Record<string, SettingRule>

/** The PORT setting with a service's own default. */
export const portSetting = (defaultPort: number): SettingRule =>
  ({ type: 'integer', description: 'a TCP port from 0 to 65535 (0 picks a free one)', default: defaultPort, minimum: 0, maximum: 65535 })

interface AjvIssue { instancePath: string, keyword: string, params: Record<string, unknown> }

/**
 * Validates and coerces the settings `schema` names, from `env` only (no .env file, no process.env).
 * Empty values count as unset. Throws {@link SettingsError} naming the first bad setting.
 */
export function loadSettings<T> (schema: SettingsSchema, env: NodeJS.ProcessEnv): T {
  const data: Record<string, string> = {}
  for (const name of Object.keys(schema.properties)) {
    const value = env[name]?.trim()
    if (value) data[name] = value
  }
  try {
    return Object.freeze(envSchema({
      schema: { type: 'object', required: [...(schema.required ?? [])], properties: structuredClone(schema.properties) },
      data,
      env: false,
      dotenv: false
    })) as T
  } catch (err) {
    const issue = (err as { errors?: AjvIssue[] }).errors?.[0]
    if (!issue) throw err
    const setting = issue.keyword === 'required' ? String(issue.params['missingProperty']) : issue.instancePath.slice(1)
    const rule = schema.properties[setting]
    const what = issue.keyword === 'required' ? 'is required' : 'is invalid'
    throw new SettingsError(setting, `${setting} ${what}: expected ${rule?.description ?? 'a valid value'}`)
  }
}

/** Splits a comma list, trimming and dropping empty entries. */
export function commaList (value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter(Boolean)
}

/** Throws a {@link SettingsError} for `setting` unless `value` is an absolute https URL; returns it without a trailing slash. */
export function httpsUrl (setting: string, value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new SettingsError(setting, `${setting} is invalid: expected an absolute https:// URL`)
  }
  if (url.protocol !== 'https:') throw new SettingsError(setting, `${setting} is invalid: expected an https:// URL`)
  return url.href.replace(/\/+$/, '')
}
