import { tenantUrls } from './endpoints.js'

const AUTH_METHODS = ['client_secret_post', 'private_key_jwt', 'client_secret_basic']
const V2_CLAIMS = ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat',
  'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email']
const V1_CLAIMS = ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat',
  'auth_time', 'acr', 'amr', 'nonce', 'email', 'given_name', 'family_name', 'nickname']
const CLOUD = { cloud_instance_name: 'microsoftonline.com', cloud_graph_host_name: 'graph.windows.net', msgraph_host: 'graph.microsoft.com', rbac_url: 'https://pas.windows.net' }

/** The v2 OpenID configuration of a tenant GUID, or of `common`/`organizations` (then `issuer` holds `{tenantid}`). */
export function v2Configuration (base: string, tenant: string, alias: boolean): Record<string, unknown> {
  const urls = tenantUrls(base, tenant)
  return {
    token_endpoint: urls.v2Token,
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    jwks_uri: urls.v2Keys,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: alias ? `${base}/{tenantid}/v2.0` : urls.v2Issuer,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
    claims_supported: V2_CLAIMS,
    kerberos_endpoint: `${base}/${tenant}/kerberos`,
    tenant_region_scope: alias ? null : 'NA',
    ...CLOUD
  }
}

/** The v1 OpenID configuration; its issuer keeps Entra's `/{tid}/` shape on the emulator host. */
export function v1Configuration (base: string, tenant: string, alias: boolean): Record<string, unknown> {
  const urls = tenantUrls(base, tenant)
  return {
    token_endpoint: urls.v1Token,
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    jwks_uri: urls.v1Keys,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/${tenant}/oauth2/logout`,
    response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
    scopes_supported: ['openid'],
    issuer: alias ? `${base}/{tenantid}/` : urls.v1Issuer,
    claims_supported: V1_CLAIMS,
    microsoft_multi_refresh_token: true,
    check_session_iframe: `${base}/${tenant}/oauth2/checksession`,
    userinfo_endpoint: `${base}/${tenant}/openid/userinfo`,
    kerberos_endpoint: `${base}/${tenant}/kerberos`,
    tenant_region_scope: alias ? null : 'NA',
    ...CLOUD,
    authorization_endpoint: `${base}/${tenant}/oauth2/authorize`,
    device_authorization_endpoint: `${base}/${tenant}/oauth2/devicecode`
  }
}

/** The instance-discovery answer (entra-protocol.md §8): the emulator host is its own only alias. */
export function instanceDiscovery (base: string, tenant: string): Record<string, unknown> {
  const host = new URL(base).host
  return {
    tenant_discovery_endpoint: tenantUrls(base, tenant).v2Metadata,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }]
  }
}
