import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { repoRoot } from '../helpers/start-service.js'
import { services, settingsReadBy } from './service-settings.js'

const exampleText = readFileSync(join(repoRoot, '.env.example'), 'utf8')
const lines = exampleText.split('\n')
const SETTING_LINE = /^#?\s?([A-Z][A-Z0-9_]*)=(.*)$/

// Variables of the tooling around the services, each with where it is read.
const toolVariables: Record<string, string[]> = {
  NODE_EXTRA_CA_CERTS: ['docker-compose.yml', 'scripts/lib/demo-settings.js'],
  CLIENT_PORT: ['docker-compose.yml', 'docker-compose.entra.yml', 'scripts/lib/demo-settings.js'],
  RESOURCE_PORT: ['scripts/lib/demo-settings.js'],
  EMULATOR_PORT: ['scripts/lib/demo-settings.js'],
  DEMO_CLIENT: ['scripts/lib/demo-settings.js'],
  LOG_FORMAT: ['scripts/start.js'],
  CLIENT_CREDENTIAL_FILE: ['docker-compose.entra.yml']
}

const read = new Map(services.map((service) => [service, settingsReadBy(service)]))
const documented = new Map<string, number>()
lines.forEach((line, index) => {
  const name = SETTING_LINE.exec(line)?.[1]
  if (name && !documented.has(name)) documented.set(name, index)
})

t.test('the scan finds each service\'s settings', async (t) => {
  for (const [service, names] of read) {
    t.ok(names.size >= 6, `${service} reads ${names.size} settings: ${[...names].join(', ')}`)
    for (const name of ['PORT', 'HOST', 'LOG_LEVEL']) t.ok(names.has(name), `${service} reads ${name}`)
  }
  t.ok(read.get('client-api')?.has('AZURE_CLIENT_SECRET'))
  t.ok(read.get('resource-api')?.has('API_AUDIENCES'))
  t.ok(read.get('entra-emulator')?.has('EMULATOR_PUBLIC_URL'))
})

t.test('every setting read by a service is in .env.example, with an explanation above it', async (t) => {
  for (const [service, names] of read) {
    for (const name of names) {
      const index = documented.get(name)
      t.ok(index !== undefined, `${name} (${service}) is in .env.example`)
      if (index === undefined) continue
      let above = index - 1
      while (above >= 0 && SETTING_LINE.test(lines[above]!)) above--
      t.match(lines[above], /^# \S/, `${name} has a comment line explaining it`)
    }
  }
})

t.test('.env.example names nothing that no one reads', async (t) => {
  const serviceSettings = new Set([...read.values()].flatMap((names) => [...names]))
  for (const name of documented.keys()) {
    if (serviceSettings.has(name)) continue
    const readers = toolVariables[name]
    t.ok(readers, `${name} is a service setting or a known tooling variable`)
    for (const file of readers ?? []) t.match(readFileSync(join(repoRoot, file), 'utf8'), name, `${file} reads ${name}`)
  }
})

t.test('every variable the compose files substitute is in .env.example', async (t) => {
  for (const file of ['docker-compose.yml', 'docker-compose.entra.yml']) {
    const variables = [...readFileSync(join(repoRoot, file), 'utf8').matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map(([, name]) => name!)
    t.ok(variables.length >= 5, `${file} substitutes ${variables.length} variables`)
    for (const name of new Set(variables)) t.ok(documented.has(name), `${file}: ${name}`)
  }
})

t.test('the active values are a working configuration for client-api and resource-api', async (t) => {
  const active = Object.fromEntries(lines.flatMap((line) => {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line)
    return match ? [[match[1]!, match[2]!]] : []
  }))
  t.equal(active['AZURE_CLIENT_SECRET']?.startsWith('demo-only~'), true, 'the only active secret is the public demo one')
  for (const service of ['client-api', 'resource-api']) {
    const { loadConfig } = await import(join(repoRoot, 'services', service, 'dist/config.js')) as { loadConfig: (env: NodeJS.ProcessEnv) => unknown }
    t.doesNotThrow(() => loadConfig(active), `${service} accepts them`)
  }
})
