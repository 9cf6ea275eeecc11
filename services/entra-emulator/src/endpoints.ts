/** Route patterns: the same paths as Entra ID, so only the authority host differs. */
export const routes = {
  v2Metadata: '/:tenant/v2.0/.well-known/openid-configuration',
  v1Metadata: '/:tenant/.well-known/openid-configuration',
  v2Keys: '/:tenant/discovery/v2.0/keys',
  v1Keys: '/:tenant/discovery/keys',
  v2Token: '/:tenant/oauth2/v2.0/token',
  v1Token: '/:tenant/oauth2/token',
  instanceDiscovery: '/common/discovery/instance',
  rotateKeys: '/_emulator/keys/rotate',
  stats: '/_emulator/stats',
  faults: '/_emulator/faults'
} as const

/** Tenant aliases Entra answers metadata and keys for, with `{tenantid}` templates in place of a tenant. */
export const tenantAliases = ['common', 'organizations'] as const

export type TokenVersion = 'v1' | 'v2'

/** The `{tenant}` path parameter of every per-tenant route. */
export const tenantParamsSchema = {
  type: 'object',
  properties: { tenant: { type: 'string', minLength: 1, maxLength: 256 } },
  required: ['tenant']
} as const

/** The absolute URLs of one tenant (or alias) under the issuer base. */
export function tenantUrls (base: string, tenant: string) {
  return {
    v2Issuer: `${base}/${tenant}/v2.0`,
    v1Issuer: `${base}/${tenant}/`,
    v2Token: `${base}/${tenant}/oauth2/v2.0/token`,
    v1Token: `${base}/${tenant}/oauth2/token`,
    v2Keys: `${base}/${tenant}/discovery/v2.0/keys`,
    v1Keys: `${base}/common/discovery/keys`,
    v2Metadata: `${base}/${tenant}/v2.0/.well-known/openid-configuration`
  }
}
