import { createHash, type KeyObject } from 'node:crypto'
import type { ApplicationRegistration, Registrations, TenantRegistration } from './registrations.js'

/** A registered client certificate, as the assertion check needs it. */
export interface ClientCertificate {
  readonly keyId: string
  /** base64url SHA-1 thumbprint (`x5t`). */
  readonly x5t: string
  /** base64url SHA-256 thumbprint (`x5t#S256`). */
  readonly x5tS256: string
  readonly publicKey: KeyObject
}

/** An application as seen from one tenant: its registration, its home tenant and its certificates. */
export interface Application extends ApplicationRegistration {
  readonly homeTenantId: string
  readonly certificates: readonly ClientCertificate[]
}

/** Lookups over the registrations, answering as Entra does for one tenant. */
export interface Directory {
  tenant: (tenantId: string) => TenantRegistration | undefined
  /** The app, if it has a service principal in `tenantId`: registered there, or multi-tenant. */
  application: (tenantId: string, appId: string) => Application | undefined
  /** The resource app named by an App ID URI or an appId, as seen from `tenantId`. */
  resource: (tenantId: string, identifier: string) => Application | undefined
}

const MULTI_TENANT = new Set(['AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount'])

/**
 * Builds the lookups. Multi-tenant apps are visible in every tenant (as if an admin had consented),
 * single-tenant apps only in their home tenant.
 */
export function createDirectory (registrations: Registrations, certificates: ReadonlyMap<string, ClientCertificate>): Directory {
  // certificates are keyed by the JSON path of their keyCredential, which is unique in the file.
  const tenants = new Map(registrations.tenants.map((t) => [t.id, t]))
  const apps = registrations.tenants.flatMap((t) => t.applications.map((app): Application => ({
    ...app,
    homeTenantId: t.id,
    certificates: app.keyCredentials.flatMap((k) => certificates.get(k.at) ?? [])
  })))
  const visible = (tenantId: string, app: Application) => app.homeTenantId === tenantId || MULTI_TENANT.has(app.signInAudience)
  const byAppId = new Map(apps.map((app) => [app.appId, app]))
  return {
    tenant: (tenantId) => tenants.get(tenantId.toLowerCase()),
    application (tenantId, appId) {
      const app = byAppId.get(appId.toLowerCase())
      return app && visible(tenantId, app) ? app : undefined
    },
    resource (tenantId, identifier) {
      const wanted = identifier.toLowerCase()
      return apps.find((app) => visible(tenantId, app) &&
        (app.appId === wanted || app.identifierUris.some((uri) => uri.toLowerCase() === wanted)))
    }
  }
}

/**
 * The object id of an app's service principal in a tenant: stable for (tenant, app), different per tenant,
 * as in Entra. Derived, so restarts keep it.
 */
export function principalId (tenantId: string, appId: string): string {
  const hex = createHash('sha256').update(`service-principal:${tenantId}:${appId}`).digest('hex')
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** The role values `client` holds on `resource`: assigned, defined, enabled and open to applications. */
export function rolesFor (client: ApplicationRegistration, resource: ApplicationRegistration): string[] {
  const assigned = new Set(client.appRoleAssignments.filter((a) => a.resourceAppId === resource.appId).map((a) => a.appRole))
  return resource.appRoles
    .filter((r) => r.isEnabled && r.allowedMemberTypes.includes('Application') && assigned.has(r.value))
    .map((r) => r.value)
}
