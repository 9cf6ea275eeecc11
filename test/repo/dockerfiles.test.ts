import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { repoRoot } from '../helpers/start-service.js'

const services = ['entra-emulator', 'resource-api', 'client-api']
const workspaceManifests = ['package.json', 'shared/package.json', ...services.map((name) => `services/${name}/package.json`)]
const dockerignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim())

interface Instruction { keyword: string, args: string }

// Joins continued lines and drops comments: one entry per Dockerfile instruction.
function instructions (text: string): Instruction[] {
  return text.replace(/\\\n/g, ' ').split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/)
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') }
    })
}

function ignored (path: string): boolean {
  return dockerignore.some((pattern) => pattern === path || pattern === `${path.split('/')[0]}` || (pattern.startsWith('**/') && path.split('/').includes(pattern.slice(3))))
}

for (const name of services) {
  t.test(`services/${name}/Dockerfile`, async (t) => {
    const all = instructions(readFileSync(join(repoRoot, 'services', name, 'Dockerfile'), 'utf8'))
    const froms = all.flatMap((step, i) => (step.keyword === 'FROM' ? [i] : []))
    t.equal(froms.length, 2, 'two stages: build and runtime')
    const runtime = all.slice(froms.at(-1))
    const build = all.slice(0, froms.at(-1))

    const nodeVersion = all.find((step) => step.keyword === 'ARG' && step.args.startsWith('NODE_VERSION='))?.args.split('=')[1]
    t.ok(Number(nodeVersion) >= 22 && Number(nodeVersion) % 2 === 0, `an LTS Node line (${nodeVersion})`)
    for (const index of froms) t.match(all[index]?.args, /^node:\$\{NODE_VERSION\}-slim\b/, 'official slim Node image')

    t.ok(build.some((step) => step.keyword === 'RUN' && /^npm ci\b/.test(step.args) && !step.args.includes('--omit=dev')), 'build stage: full npm ci')
    t.ok(build.some((step) => step.keyword === 'RUN' && step.args === `npx tsc -b services/${name}`), 'build stage: tsc -b')
    t.ok(runtime.some((step) => step.keyword === 'RUN' && step.args.startsWith(`npm ci --omit=dev --workspace=services/${name} `)), 'runtime: production dependencies of this workspace only')
    for (const stage of [build, runtime]) {
      const copied = stage.filter((step) => step.keyword === 'COPY').flatMap((step) => step.args.split(' ').slice(0, -1))
      t.same(workspaceManifests.filter((manifest) => !copied.includes(manifest)), [], 'every workspace manifest, or npm ci rejects the lockfile')
    }

    const userIndex = runtime.findIndex((step) => step.keyword === 'USER')
    t.equal(runtime[userIndex]?.args, 'node', 'runs as the unprivileged node user')
    t.ok(userIndex < runtime.findIndex((step) => step.keyword === 'CMD'), 'USER comes before CMD')
    t.match(runtime.find((step) => step.keyword === 'HEALTHCHECK')?.args, /CMD \["node", "scripts\/healthcheck\.js"/, 'HEALTHCHECK with node (no curl in slim images)')
    t.equal(runtime.find((step) => step.keyword === 'CMD')?.args, `["node", "services/${name}/dist/server.js"]`)

    const envs = all.filter((step) => step.keyword === 'ENV' || step.keyword === 'ARG').map((step) => step.args).join(' ')
    t.notMatch(envs, /SECRET|PASSWORD|CLIENT_ID|TENANT_ID|CERTIFICATE/, 'no credential or identity baked in')

    for (const step of all.filter((s) => s.keyword === 'COPY' && !s.args.startsWith('--from'))) {
      const sources = step.args.split(' ').slice(0, -1)
      for (const source of sources) {
        const path = source.replace(/\/$/, '')
        t.ok(path === 'package-lock.json' || existsSync(join(repoRoot, path)), `${source} exists`)
        t.notOk(ignored(path), `${source} is not excluded by .dockerignore`)
      }
    }
  })
}

t.test('.dockerignore keeps local state and secrets out of the build context', async (t) => {
  for (const entry of ['.env', '.certs', '**/node_modules', '**/dist', '.git']) t.ok(dockerignore.includes(entry), entry)
})
