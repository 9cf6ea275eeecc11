// The bundled demo registrations (services/entra-emulator/registrations.json). DEMO ONLY: public values.
export const TENANT_A = 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161'
export const TENANT_B = '003cf140-8084-4438-844f-cbd58e5a6d98'
export const RESOURCE_APP_ID = '63f3823d-1481-4d2c-b93c-c86eec1bd969'
export const RESOURCE_SCOPE = `api://${RESOURCE_APP_ID}/.default`

/** A client registration the bench asks tokens for. */
export interface DemoClient {
  readonly tenantId: string
  readonly clientId: string
  readonly secret: string
}

/** Granted Forecast.Read. */
export const CLIENT_APP: DemoClient = {
  tenantId: TENANT_A,
  clientId: '3f6e7393-8081-49b4-b995-442cc17f830a',
  secret: 'demo-only~M8zPLWEytB1yQ-sVisgrtZBge3O-bYwGDcHNwPY7'
}

/** Same tenant, no roles. */
export const UNPRIVILEGED_CLIENT: DemoClient = {
  tenantId: TENANT_A,
  clientId: '902007c9-2b1b-4fd6-8f74-741dba639ecd',
  secret: 'demo-only~G57YU5VqEYS5jrrje2mRFGlcguQ4RGCkZIOAEaeq'
}

/** Tenant B, granted Forecast.Read on tenant A's multi-tenant resource: a wrong issuer for a single-tenant API. */
export const TENANT_B_CLIENT: DemoClient = {
  tenantId: TENANT_B,
  clientId: '62fd36d3-dcb6-43c4-95f6-948be4451fcf',
  secret: 'demo-only~idZQjGBeNqx-tc7EC20uA4MkbVBclIHMSQsvC91Z'
}
