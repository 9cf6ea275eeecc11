import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ensureDevTls } from '@entra-s2s/shared'
import { createContext } from './lib/context.js'
import { startLoader } from './lib/loader.js'
import { repoRoot } from './lib/processes.js'
import { machineFacts, renderReport, type Section } from './lib/report.js'
import { tables, type Scenario, type TableId } from './lib/scenario.js'
import { fullSettings, smokeSettings } from './lib/settings.js'
import { clientApi } from './scenarios/client.js'
import { coldBursts } from './scenarios/cold.js'
import { peers } from './scenarios/peers.js'
import { freshTokens, noiseFloor, reusedToken } from './scenarios/resource.js'
import { startup } from './scenarios/startup.js'

const scenarios: readonly Scenario[] = [noiseFloor, reusedToken, freshTokens, peers, clientApi, coldBursts, startup]
const usage = `usage: npm run bench -- [--smoke] [--out <file>] [--profile <dir>] [${scenarios.map((s) => s.name).join('|')}|0-6 ...]`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    smoke: { type: 'boolean', default: false },
    out: { type: 'string' },
    profile: { type: 'string' },
    help: { type: 'boolean', default: false }
  }
})
if (values.help) {
  console.log(usage)
  process.exit(0)
}
const selected = positionals.length === 0
  ? scenarios
  : positionals.map((arg) => scenarios.find((s) => s.name === arg || String(s.number) === arg) ?? fail(`unknown scenario '${arg}'\n${usage}`))

function fail (message: string): never {
  console.error(message)
  process.exit(1)
}

const missing = ['entra-emulator', 'resource-api', 'client-api'].filter((name) => !existsSync(`${repoRoot}services/${name}/dist/server.js`))
if (missing.length > 0) fail(`not built: ${missing.join(', ')} (run npm run build)`)

// Every child (servers, the load generator) must trust the emulator's dev CA, and so must this process:
// NODE_EXTRA_CA_CERTS is read only at start, so set it and start again.
const { caPath } = await ensureDevTls()
if (resolve(process.env['NODE_EXTRA_CA_CERTS'] ?? '') !== caPath) {
  const again = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath }
  })
  process.exit(again.status ?? 1)
}

const settings = values.smoke ? smokeSettings : fullSettings
// Only a full run of every scenario replaces the committed report; otherwise pass --out.
const out = values.out ?? (values.smoke || positionals.length > 0 ? undefined : `${repoRoot}bench/results/latest.md`)
const facts = machineFacts()
const started = performance.now()
const loader = startLoader()
const ctx = await createContext(settings, loader, values.profile === undefined ? undefined : resolve(values.profile))
const outputs = new Map<TableId, { rows: string[][], notes: string[] }>()
let failed = false
try {
  for (const scenario of selected) {
    const scenarioStarted = performance.now()
    process.stderr.write(`bench: ${scenario.number}. ${scenario.name}…`)
    for (const output of await scenario.run(ctx)) {
      const entry = outputs.get(output.table) ?? { rows: [], notes: [] }
      entry.rows.push(...output.rows.map((row) => [...row]))
      entry.notes.push(...(output.notes ?? []))
      outputs.set(output.table, entry)
    }
    process.stderr.write(` ${((performance.now() - scenarioStarted) / 1000).toFixed(0)} s\n`)
  }
} catch (err) {
  failed = true
  console.error(`\nbench failed: ${(err as Error).stack ?? String(err)}`)
} finally {
  await ctx.close()
  await loader.close()
}
if (values.profile !== undefined) {
  console.error(`bench: CPU profiles in ${values.profile} (summarise: node --import=tsx bench/profile-summary.ts <file>):`)
  for (const { name, pid } of ctx.running) console.error(`  ${name}: pid ${pid}`)
}

const method = `autocannon API in its own process, -c ${settings.connections}; servers each in their own process, the emulator in another; ` +
  `per target a ${settings.firstWarmupS} s warm-up before its first run and ${settings.warmupS} s before later ones, then ${settings.durationS} s measured; ` +
  `${settings.rounds} rounds of (baseline, contender); figures are medians over rounds, "ratio" the median of per-round ratios` +
  (settings.smoke ? '. SMOKE MODE: tiny runs, the figures mean nothing' : '')
const sections: Section[] = [...outputs].map(([id, { rows, notes }]) => ({ ...tables[id], rows, notes }))
const report = renderReport(facts, method, ctx.checks, sections, (performance.now() - started) / 1000)
console.log(report)
if (out && !failed) {
  await mkdir(dirname(out), { recursive: true })
  await writeFile(out, report)
  console.error(`bench: wrote ${out}`)
}
process.exit(failed ? 1 : 0)
