import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { RESOURCE_SCOPE } from '../lib/demo.js'

// Raw MSAL Node, as the client-api pins it: `count` concurrent acquireTokenByClientCredential calls on one
// cold ConfidentialClientApplication, configured like the client-api (cloudDiscoveryMetadata from the host).
type Msal = typeof import('@azure/msal-node')

async function loadClientApiMsal (): Promise<{ msal: Msal, version: string }> {
  const require = createRequire(new URL('../../services/client-api/package.json', import.meta.url))
  const manifestPath = require.resolve('@azure/msal-node/package.json')
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string, exports: { '.': { import: { default: string } } } }
  const msal = await import(pathToFileURL(join(dirname(manifestPath), manifest.exports['.'].import.default)).href) as Msal
  return { msal, version: manifest.version }
}

const [authorityHost, count] = [process.env['BENCH_AUTHORITY_HOST'], Number(process.env['BENCH_COUNT'])]
const [tenantId, clientId, clientSecret] = [process.env['BENCH_TENANT_ID'], process.env['BENCH_CLIENT_ID'], process.env['BENCH_CLIENT_SECRET']]
if (!authorityHost || !tenantId || !clientId || !clientSecret || !(count > 0)) throw new Error('BENCH_* settings missing')

const { msal, version } = await loadClientApiMsal()
const authority = `${authorityHost}/${tenantId}`
const query = new URLSearchParams({ 'api-version': '1.1', authorization_endpoint: `${authority}/oauth2/v2.0/authorize` })
const discovery = await (await fetch(`${authorityHost}/common/discovery/instance?${query}`)).text()
const app = new msal.ConfidentialClientApplication({ auth: { clientId, clientSecret, authority, cloudDiscoveryMetadata: discovery } })

const started = performance.now()
const results = await Promise.allSettled(Array.from({ length: count }, () => app.acquireTokenByClientCredential({ scopes: [RESOURCE_SCOPE] })))
const wallMs = performance.now() - started
const ok = results.filter((r) => r.status === 'fulfilled' && r.value?.accessToken).length
process.send?.({ version, ok, failed: count - ok, wallMs }, () => process.exit(0))
