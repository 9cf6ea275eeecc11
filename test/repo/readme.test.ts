import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { repoRoot } from '../helpers/start-service.js'
import { services, settingsReadBy } from './service-settings.js'

// The README is the reference a team follows: these checks keep it true to the code as the code moves.
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
const lines = readme.split('\n')

t.test('the two commands come first, exactly', async (t) => {
  const head = lines.slice(0, 40)
  t.ok(head.some((line) => /^npm ci && npm start(\s+#.*)?$/.test(line)), '`npm ci && npm start` in the first 40 lines')
  t.ok(head.some((line) => /^npm ci && npm test(\s+#.*)?$/.test(line)), '`npm ci && npm test` in the first 40 lines')
})

t.test('relative links point at files that exist', async (t) => {
  const links = [...readme.matchAll(/\]\((?!https?:|#)([^)\s]+)\)/g)].map(([, target]) => target!)
  t.ok(links.length >= 5, `${links.length} relative links`)
  for (const link of links) t.ok(existsSync(join(repoRoot, link.split('#')[0]!)), link)
})

t.test('every setting of every service is in the configuration table', async (t) => {
  for (const service of services) {
    for (const name of settingsReadBy(service)) t.match(readme, new RegExp(`^\\| \`${name}\``, 'm'), `${name} (${service})`)
  }
})

t.test('every refusal code of the resource API is in the troubleshooting table', async (t) => {
  const { reasons } = await import(join(repoRoot, 'services/resource-api/dist/entra-auth/reasons.js')) as { reasons: Record<string, { status: number }> }
  const codes = Object.entries(reasons)
  t.ok(codes.length >= 10, `${codes.length} codes`)
  for (const [code, { status }] of codes) t.match(readme, new RegExp(`\\| ${status} [^|]*\`${code}\``), `${status} ${code}`)
})

t.test('every problem code of client-api is explained', async (t) => {
  const source = readFileSync(join(repoRoot, 'services/client-api/src/error-translation.ts'), 'utf8')
  const codes = new Set([...source.matchAll(/code: '([a-z_]+)'|^\s+\| '([a-z_]+)'$/gm)].map(([, problem, failure]) => (problem ?? failure)!))
  t.ok(codes.size >= 8, `${codes.size} codes`)
  for (const code of codes) t.match(readme, `\`${code}\``, code)
})
