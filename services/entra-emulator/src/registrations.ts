/** The registrations file, shaped like Microsoft Graph `application` objects (see DESIGN.md). */
export interface Registrations {
  readonly tenants: readonly TenantRegistration[]
}

export interface TenantRegistration {
  readonly id: string
  readonly displayName: string
  readonly applications: readonly ApplicationRegistration[]
}

export type SignInAudience = (typeof signInAudiences)[number]
export type AcceptedVersion = 1 | 2 | null

export interface ApplicationRegistration {
  readonly appId: string
  readonly displayName: string
  readonly signInAudience: SignInAudience
  readonly identifierUris: readonly string[]
  readonly accessTokenAcceptedVersion: AcceptedVersion
  readonly appRoles: readonly AppRole[]
  readonly passwordCredentials: readonly PasswordCredential[]
  readonly keyCredentials: readonly KeyCredentialRegistration[]
  readonly appRoleAssignments: readonly AppRoleAssignment[]
}

export interface AppRole {
  readonly id: string
  readonly value: string
  readonly allowedMemberTypes: readonly string[]
  readonly isEnabled: boolean
}

export interface PasswordCredential {
  readonly keyId: string
  readonly secretText: string
  /** Epoch ms; absent means no expiry. */
  readonly endDateTime?: number
  readonly startDateTime?: number
}

export interface KeyCredentialRegistration {
  readonly keyId: string
  /** Path of a PEM holding the certificate, relative to the registrations file. */
  readonly certificatePath: string
  /** JSON path of `certificatePath`, for error messages. */
  readonly at: string
}

export interface AppRoleAssignment {
  readonly resourceAppId: string
  readonly appRole: string
}

/** The file is not valid: `at` is the JSON path of the first problem. */
export class RegistrationsError extends Error {
  readonly at: string
  constructor (at: string, problem: string) {
    super(`${at}: ${problem}`)
    this.name = 'RegistrationsError'
    this.at = at
  }
}

const signInAudiences = ['AzureADMyOrg', 'AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount'] as const
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

type Json = Record<string, unknown>
const fail = (at: string, problem: string): never => { throw new RegistrationsError(at, problem) }

function object (value: unknown, at: string): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Json : fail(at, 'expected an object')
}

function text (value: unknown, at: string): string {
  return typeof value === 'string' && value.trim() !== '' ? value : fail(at, 'expected a non-empty string')
}

function guid (value: unknown, at: string): string {
  return typeof value === 'string' && GUID.test(value) ? value.toLowerCase() : fail(at, 'expected a GUID')
}

function list<T> (value: unknown, at: string, item: (value: unknown, at: string) => T, required = false): T[] {
  if (value === undefined && !required) return []
  if (!Array.isArray(value)) return fail(at, 'expected an array')
  return value.map((entry, index) => item(entry, `${at}[${index}]`))
}

function date (value: unknown, at: string): number | undefined {
  if (value === undefined || value === null) return undefined
  const time = typeof value === 'string' ? Date.parse(value) : NaN
  return Number.isNaN(time) ? fail(at, 'expected an ISO 8601 date-time') : time
}

function role (value: unknown, at: string): AppRole {
  const json = object(value, at)
  const members = list(json['allowedMemberTypes'] ?? ['Application'], `${at}.allowedMemberTypes`, text)
  const enabled = json['isEnabled'] ?? true
  if (typeof enabled !== 'boolean') fail(`${at}.isEnabled`, 'expected true or false')
  return { id: guid(json['id'], `${at}.id`), value: text(json['value'], `${at}.value`), allowedMemberTypes: members, isEnabled: enabled as boolean }
}

function password (value: unknown, at: string): PasswordCredential {
  const json = object(value, at)
  const endDateTime = date(json['endDateTime'], `${at}.endDateTime`)
  const startDateTime = date(json['startDateTime'], `${at}.startDateTime`)
  return {
    keyId: guid(json['keyId'], `${at}.keyId`),
    secretText: text(json['secretText'], `${at}.secretText`),
    ...(endDateTime === undefined ? {} : { endDateTime }),
    ...(startDateTime === undefined ? {} : { startDateTime })
  }
}

function keyCredential (value: unknown, at: string): KeyCredentialRegistration {
  const json = object(value, at)
  if (json['type'] !== undefined && json['type'] !== 'AsymmetricX509Cert') fail(`${at}.type`, 'expected "AsymmetricX509Cert"')
  if (json['usage'] !== undefined && json['usage'] !== 'Verify') fail(`${at}.usage`, 'expected "Verify"')
  return { keyId: guid(json['keyId'], `${at}.keyId`), certificatePath: text(json['certificatePath'], `${at}.certificatePath`), at: `${at}.certificatePath` }
}

function assignment (value: unknown, at: string): AppRoleAssignment {
  const json = object(value, at)
  return { resourceAppId: guid(json['resourceAppId'], `${at}.resourceAppId`), appRole: text(json['appRole'], `${at}.appRole`) }
}

function application (value: unknown, at: string): ApplicationRegistration {
  const json = object(value, at)
  const audience = json['signInAudience'] ?? 'AzureADMyOrg'
  if (!signInAudiences.includes(audience as SignInAudience)) fail(`${at}.signInAudience`, `expected one of ${signInAudiences.join(', ')}`)
  const version = json['accessTokenAcceptedVersion'] ?? null
  if (version !== null && version !== 1 && version !== 2) fail(`${at}.accessTokenAcceptedVersion`, 'expected null, 1 or 2')
  return {
    appId: guid(json['appId'], `${at}.appId`),
    displayName: text(json['displayName'], `${at}.displayName`),
    signInAudience: audience as SignInAudience,
    identifierUris: list(json['identifierUris'], `${at}.identifierUris`, text),
    accessTokenAcceptedVersion: version as AcceptedVersion,
    appRoles: list(json['appRoles'], `${at}.appRoles`, role),
    passwordCredentials: list(json['passwordCredentials'], `${at}.passwordCredentials`, password),
    keyCredentials: list(json['keyCredentials'], `${at}.keyCredentials`, keyCredential),
    appRoleAssignments: list(json['appRoleAssignments'], `${at}.appRoleAssignments`, assignment)
  }
}

function tenant (value: unknown, at: string): TenantRegistration {
  const json = object(value, at)
  return {
    id: guid(json['id'], `${at}.id`),
    displayName: text(json['displayName'], `${at}.displayName`),
    applications: list(json['applications'], `${at}.applications`, application, true)
  }
}

/**
 * Validates a parsed registrations file and returns it typed, with defaults applied (Entra's: a new app is
 * single-tenant and gets v1 tokens). Throws {@link RegistrationsError} naming the JSON path of the first problem.
 */
export function parseRegistrations (raw: unknown): Registrations {
  const tenants = list(object(raw, '$')['tenants'], '$.tenants', tenant, true)
  if (tenants.length === 0) fail('$.tenants', 'expected at least one tenant')
  const seenTenants = new Set<string>()
  const apps = new Map<string, ApplicationRegistration>()
  tenants.forEach((t, ti) => {
    if (seenTenants.has(t.id)) fail(`$.tenants[${ti}].id`, `duplicate tenant ${t.id}`)
    seenTenants.add(t.id)
    t.applications.forEach((app, ai) => {
      if (apps.has(app.appId)) fail(`$.tenants[${ti}].applications[${ai}].appId`, `duplicate appId ${app.appId}`)
      apps.set(app.appId, app)
    })
  })
  tenants.forEach((t, ti) => t.applications.forEach((app, ai) => app.appRoleAssignments.forEach((grant, gi) => {
    const at = `$.tenants[${ti}].applications[${ai}].appRoleAssignments[${gi}]`
    const resource = apps.get(grant.resourceAppId) ?? fail(`${at}.resourceAppId`, `no application ${grant.resourceAppId} in this file`)
    if (!resource.appRoles.some((r) => r.value === grant.appRole)) fail(`${at}.appRole`, `application ${resource.appId} has no app role "${grant.appRole}"`)
  })))
  return { tenants }
}
