import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

/** The bundled demo registrations (services/entra-emulator/registrations.json). Every secret here is public: demo only. */
export const demo = Object.freeze({
  tenantA: 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161',
  tenantB: '003cf140-8084-4438-844f-cbd58e5a6d98',
  resourceAppId: '63f3823d-1481-4d2c-b93c-c86eec1bd969',
  resourceAppIdUri: 'api://63f3823d-1481-4d2c-b93c-c86eec1bd969',
  daemon: { id: '3f6e7393-8081-49b4-b995-442cc17f830a', secret: 'demo-only~M8zPLWEytB1yQ-sVisgrtZBge3O-bYwGDcHNwPY7' },
  unprivileged: { id: '902007c9-2b1b-4fd6-8f74-741dba639ecd', secret: 'demo-only~G57YU5VqEYS5jrrje2mRFGlcguQ4RGCkZIOAEaeq' },
  otherTenant: { id: '62fd36d3-dcb6-43c4-95f6-948be4451fcf', secret: 'demo-only~idZQjGBeNqx-tc7EC20uA4MkbVBclIHMSQsvC91Z' }
})

const certificatePath = join(repoRoot, 'services/entra-emulator/demo/client-app.pem')

/** Which registration client-api signs in as (DEMO_CLIENT), and what GET / then answers. */
const clients = {
  secret: { tenant: demo.tenantA, id: demo.daemon.id, credential: { AZURE_CLIENT_SECRET: demo.daemon.secret }, expect: '200 with the forecast' },
  certificate: { tenant: demo.tenantA, id: demo.daemon.id, credential: { AZURE_CLIENT_CERTIFICATE_PATH: certificatePath }, expect: '200 with the forecast' },
  unprivileged: { tenant: demo.tenantA, id: demo.unprivileged.id, credential: { AZURE_CLIENT_SECRET: demo.unprivileged.secret }, expect: '502 downstream_forbidden (no app role)' },
  'other-tenant': { tenant: demo.tenantB, id: demo.otherTenant.id, credential: { AZURE_CLIENT_SECRET: demo.otherTenant.secret }, expect: '502 downstream_unauthorized (the resource API refuses tenant B: wrong_tenant)' }
}

const defaultPorts = { 'entra-emulator': 8443, 'resource-api': 3001, 'client-api': 3000 }
const portVariables = { 'entra-emulator': 'EMULATOR_PORT', 'resource-api': 'RESOURCE_PORT', 'client-api': 'CLIENT_PORT' }

/** The demo's own settings are wrong; the message is one line naming the variable. */
export class DemoSettingsError extends Error {}

/**
 * Reads the runner's own settings: EMULATOR_PORT, RESOURCE_PORT, CLIENT_PORT (0 picks a free port)
 * and DEMO_CLIENT. Everything else is the services' business.
 */
export function readDemoSettings (env) {
  const ports = {}
  for (const [service, variable] of Object.entries(portVariables)) {
    const raw = env[variable]?.trim() || String(defaultPorts[service])
    const port = Number(raw)
    if (!/^\d+$/.test(raw) || port > 65535) throw new DemoSettingsError(`${variable} is invalid: expected a TCP port from 0 to 65535 (0 picks a free one)`)
    ports[service] = port
  }
  const clientName = env.DEMO_CLIENT?.trim() || 'secret'
  const client = clients[clientName]
  if (!client) throw new DemoSettingsError(`DEMO_CLIENT is invalid: expected one of ${Object.keys(clients).join(', ')}`)
  return { ports, portVariables, clientName, client, host: env.HOST?.trim() || 'localhost', tlsDir: join(repoRoot, '.certs') }
}

// The identity and wiring settings belong to the demo: a shell that already exports AZURE_* for a real
// tenant (EnvironmentCredential users often do) must not mix real credentials into the emulator demo.
const owned = /^(AZURE_.*|PORT|RESOURCE_API_URL|RESOURCE_API_SCOPE|API_AUDIENCES|EMULATOR_PUBLIC_URL|EMULATOR_TLS_DIR|EMULATOR_REGISTRATIONS|NODE_EXTRA_CA_CERTS)$/

function inherited (env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !owned.test(name)))
}

/** The environment of each service: what the shell passes through (LOG_LEVEL, HOST, timeouts…) plus the demo wiring. */
export const serviceEnv = {
  'entra-emulator': (env, settings) => ({
    ...inherited(env),
    PORT: String(settings.ports['entra-emulator']),
    EMULATOR_TLS_DIR: settings.tlsDir
  }),
  'resource-api': (env, settings, urls) => ({
    ...inherited(env),
    PORT: String(settings.ports['resource-api']),
    NODE_EXTRA_CA_CERTS: join(settings.tlsDir, 'ca.pem'),
    AZURE_TENANT_ID: demo.tenantA,
    AZURE_AUTHORITY_HOST: urls['entra-emulator'],
    API_AUDIENCES: `${demo.resourceAppIdUri},${demo.resourceAppId}`
  }),
  'client-api': (env, settings, urls) => ({
    ...inherited(env),
    PORT: String(settings.ports['client-api']),
    NODE_EXTRA_CA_CERTS: join(settings.tlsDir, 'ca.pem'),
    AZURE_TENANT_ID: settings.client.tenant,
    AZURE_CLIENT_ID: settings.client.id,
    ...settings.client.credential,
    AZURE_AUTHORITY_HOST: urls['entra-emulator'],
    RESOURCE_API_URL: urls['resource-api'],
    RESOURCE_API_SCOPE: `${demo.resourceAppIdUri}/.default`
  })
}

/** What to try once everything is ready: shell commands with the real URLs. */
export function tryItText (settings, urls) {
  const ca = relative(process.cwd(), join(settings.tlsDir, 'ca.pem')) || join(settings.tlsDir, 'ca.pem')
  const { 'entra-emulator': idp, 'resource-api': api, 'client-api': client } = urls
  const scope = `${demo.resourceAppIdUri}/.default`
  return [
    `GET / as the demo client (${settings.clientName}) answers ${settings.client.expect}:`,
    `  curl -s ${client}/`,
    '',
    'The resource API on its own: no token → 401 with WWW-Authenticate: Bearer',
    `  curl -si ${api}/api/forecast`,
    '',
    'Fetch tokens straight from the emulator (demo-only secrets) and call the resource API:',
    `  token() { curl -s --cacert ${ca} ${idp}/$1/oauth2/v2.0/token -d grant_type=client_credentials \\`,
    `    -d client_id=$2 --data-urlencode client_secret=$3 -d scope=${scope} | sed -E 's/.*"access_token":"([^"]*)".*/\\1/'; }`,
    `  curl -si -H "Authorization: Bearer $(token ${demo.tenantA} ${demo.daemon.id} '${demo.daemon.secret}')" ${api}/api/forecast`,
    '    → 200: the client app holds Forecast.Read',
    `  curl -si -H "Authorization: Bearer $(token ${demo.tenantA} ${demo.unprivileged.id} '${demo.unprivileged.secret}')" ${api}/api/forecast`,
    '    → 403 missing_role (WWW-Authenticate: error="insufficient_scope"): a valid token without the app role',
    `  curl -si -H "Authorization: Bearer $(token ${demo.tenantB} ${demo.otherTenant.id} '${demo.otherTenant.secret}')" ${api}/api/forecast`,
    '    → 401 wrong_tenant: a valid token from tenant B, whose tokens this API does not accept',
    '',
    'Rotate the signing key: the cached token keeps working, new tokens are accepted at once:',
    `  curl -s --cacert ${ca} -X POST ${idp}/_emulator/keys/rotate`,
    `  curl -s --cacert ${ca} ${idp}/_emulator/stats`,
    '',
    'Other demo clients: DEMO_CLIENT=certificate | unprivileged | other-tenant npm start. Ctrl-C stops all three.'
  ].join('\n')
}
