import t from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from './helpers/start-service.js'

// Runs the whole bench in smoke mode (tiny runs, one round) so its code cannot rot. Asserts the report's
// shape and that every figure is a positive number: never a speed, nothing here is timed.

const SMOKE_TIMEOUT_MS = 100_000

/** The report's tables, by heading: each row as cells. */
function tablesOf (markdown: string): Map<string, string[][]> {
  const tables = new Map<string, string[][]>()
  let rows: string[][] | undefined
  for (const line of markdown.split('\n')) {
    if (line.startsWith('### ')) tables.set(line.slice(4), rows = [])
    else if (line.startsWith('| ') && !line.startsWith('| ---')) rows?.push(line.slice(2, -2).split(' | '))
  }
  for (const table of tables.values()) table.shift()
  return tables
}

const positive = (cell: string | undefined) => Number.parseFloat(cell ?? '') > 0
const table = (tables: Map<string, string[][]>, prefix: string) => [...tables].find(([title]) => title.startsWith(prefix))?.[1] ?? []

t.test('npm run bench -- --smoke writes a report with every scenario row and positive figures', { timeout: SMOKE_TIMEOUT_MS + 10_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-smoke-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const out = join(dir, 'report.md')
  const child = spawn(process.execPath, ['--import=tsx', 'bench/run.ts', '--smoke', '--out', out], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] })
  const stderr: string[] = []
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), SMOKE_TIMEOUT_MS)
  t.teardown(() => { clearTimeout(timer); child.kill('SIGKILL') })
  const [code] = await once(child, 'exit')
  t.equal(code, 0, 'the bench exits 0', { stderr: stderr.join('') })

  const tables = tablesOf(await readFile(out, 'utf8'))
  const throughput = table(tables, 'Throughput')
  t.same(throughput.map((row) => row[0]), ['0', '1', '1', '2', '2', '3', '3', '3', '3', '4'], 'one throughput row per contender of scenarios 0–4')
  for (const row of throughput) {
    t.ok([row[3], row[4], row[5]?.replace('**invalid** ', '')].every(positive), `${row[1]}: req/s and ratio are positive`)
    t.match(row[9], /^\d+ \(\d+\)$/, `${row[1]}: server CPU per request is measured`)
    t.ok(positive(row[10]), `${row[1]}: the CPU ratio is positive`)
    if (row[11] === 'n/a') continue
    const [passed, total] = (row[11] ?? '').split('/')
    t.ok(passed === total && positive(total), `${row[1]}: every correctness probe passed (${row[11]})`)
  }

  const peers = table(tables, 'Ours ÷ peers')
  t.same(peers.map((row) => row[0]), [
    'Express + passport-azure-ad BearerStrategy', 'Express + jsonwebtoken + jwks-rsa', 'Fastify + jose createRemoteJWKSet', 'fastify-jwt-jwks'
  ], 'one row per peer')
  for (const row of peers) t.ok(row.slice(1).every(positive), `${row[0]}: every figure is positive`)

  const cold = table(tables, 'Cold bursts')
  t.equal(cold.length, 4, 'client-api and raw MSAL, for each burst size')
  for (const row of cold) {
    const [ok, size] = (row[2] ?? '').split(' ')[0]!.split('/')
    t.ok(ok === size && positive(size), `${row[0]} × ${row[1]}: every call succeeded`)
    t.ok(positive(row[3]) && positive(row[6]), `${row[0]} × ${row[1]}: token requests and wall time counted`)
  }

  const startup = table(tables, 'Start-up')
  t.same(startup.map((row) => row[0]), ['entra-emulator', 'resource-api', 'client-api'], 'one row per service')
  for (const row of startup) t.ok(row.slice(1, 5).every(positive), `${row[0]}: start times and RSS are positive`)

  t.equal(table(tables, 'Targets').length, 5, 'every target is reported (1, 2, 4 and one per burst size)')
})
