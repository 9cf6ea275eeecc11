import { ProviderError, type FetchJson } from './fetch-json.js'

/** The token version an issuer belongs to. */
export type TokenVersion = '1.0' | '2.0'

/** Who an accepted `iss` value belongs to. */
export interface TrustedIssuer {
  readonly tenantId: string
  readonly version: TokenVersion
}

/** What the provider's OpenID configuration documents say, for the accepted tenants. */
export interface ProviderMetadata {
  /** Keys URL from the configured tenant's v2 document: Entra signs v1 and v2 tokens of every tenant with these keys. */
  readonly jwksUri: string
  /** Every accepted `iss`, exactly as the documents give it with `{tenantid}` resolved, to its tenant and version. */
  readonly issuers: ReadonlyMap<string, TrustedIssuer>
  /** Each accepted tenant's v2 issuer: a signing key's own `issuer` may resolve to it for v1 tokens too. */
  readonly v2Issuers: ReadonlyMap<string, string>
}

/** Where to read metadata: the authority host (no trailing slash), the configured tenant and the accepted ones. */
export interface MetadataSource {
  readonly authorityHost: string
  readonly tenantId: string
  readonly acceptedTenantIds: readonly string[]
}

const TENANT_PLACEHOLDER = '{tenantid}'

/** The v2 and v1 OpenID configuration URLs of a tenant, as Entra lays them out. */
export const metadataUrls = (authorityHost: string, tenantId: string) => ({
  v2: `${authorityHost}/${tenantId}/v2.0/.well-known/openid-configuration`,
  v1: `${authorityHost}/${tenantId}/.well-known/openid-configuration`
})

/**
 * Reads the v2 and v1 documents of the configured tenant and of every accepted tenant, all at once,
 * and derives the keys URL and the accepted issuers from them. Nothing is assumed about hosts.
 */
export async function loadMetadata (source: MetadataSource, fetchJson: FetchJson): Promise<ProviderMetadata> {
  const tenants = [...new Set([source.tenantId, ...source.acceptedTenantIds])]
  const documents = await Promise.all(tenants.map(async (tenantId) => {
    const urls = metadataUrls(source.authorityHost, tenantId)
    const [v2, v1] = await Promise.all([readDocument(fetchJson, urls.v2), readDocument(fetchJson, urls.v1)])
    return { tenantId, v2, v1 }
  }))

  const issuers = new Map<string, TrustedIssuer>()
  const v2Issuers = new Map<string, string>()
  let jwksUri = ''
  for (const { tenantId, v2, v1 } of documents) {
    if (tenantId === source.tenantId) jwksUri = v2.jwksUri
    if (!source.acceptedTenantIds.includes(tenantId)) continue
    const v2Issuer = v2.issuer.replaceAll(TENANT_PLACEHOLDER, tenantId)
    issuers.set(v2Issuer, { tenantId, version: '2.0' })
    issuers.set(v1.issuer.replaceAll(TENANT_PLACEHOLDER, tenantId), { tenantId, version: '1.0' })
    v2Issuers.set(tenantId, v2Issuer)
  }
  return { jwksUri, issuers, v2Issuers }
}

interface OpenIdDocument { readonly issuer: string, readonly jwksUri: string }

async function readDocument (fetchJson: FetchJson, url: string): Promise<OpenIdDocument> {
  const body = await fetchJson(url) as { issuer?: unknown, jwks_uri?: unknown } | null
  const issuer = body?.issuer
  const jwksUri = body?.jwks_uri
  if (typeof issuer !== 'string' || !isHttpsUrl(issuer.replaceAll(TENANT_PLACEHOLDER, 'x'))) {
    throw new ProviderError('provider_invalid', url, 'the OpenID configuration has no https issuer')
  }
  if (typeof jwksUri !== 'string' || !isHttpsUrl(jwksUri)) {
    throw new ProviderError('provider_invalid', url, 'the OpenID configuration has no https jwks_uri')
  }
  return { issuer, jwksUri }
}

function isHttpsUrl (value: string): boolean {
  return URL.canParse(value) && new URL(value).protocol === 'https:'
}
