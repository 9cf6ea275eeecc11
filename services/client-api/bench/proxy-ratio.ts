// Measures client-api GET / against bare-proxy.ts (and against it sending client-api's extra bytes), alternately, in
// one run; then 100 cold concurrent GET / against
// the emulator's token counter. Not part of npm test. Run after `npm run build`:
//   NODE_EXTRA_CA_CERTS=.certs/ca.pem node --import=tsx services/client-api/bench/proxy-ratio.ts [rounds] [seconds]
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import autocannon from 'autocannon'
import { request } from 'undici'
import { repoRoot, startService } from '../../../test/helpers/start-service.js'

const ROUNDS = Number(process.argv[2] ?? 3)
const SECONDS = Number(process.argv[3] ?? 8)
const WARMUP_SECONDS = 2
const CONNECTIONS = 50
const TENANT = 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161'
const RESOURCE_APP = '63f3823d-1481-4d2c-b93c-c86eec1bd969'
const CLIENT = '3f6e7393-8081-49b4-b995-442cc17f830a'
const SECRET = 'demo-only~M8zPLWEytB1yQ-sVisgrtZBge3O-bYwGDcHNwPY7'
const SCOPE = `api://${RESOURCE_APP}/.default`

const cleanups: Array<() => unknown> = []
const t = { teardown: (fn: () => unknown) => { cleanups.push(fn) } }
const quiet = { LOG_LEVEL: 'info' }

const emulator = await startService(t, 'entra-emulator', quiet)
const resource = await startService(t, 'resource-api', { ...quiet, AZURE_AUTHORITY_HOST: emulator.url, AZURE_TENANT_ID: TENANT, API_AUDIENCES: `${RESOURCE_APP},api://${RESOURCE_APP}` })
const clientEnv = { ...quiet, AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: SECRET, AZURE_AUTHORITY_HOST: emulator.url, RESOURCE_API_URL: resource.url, RESOURCE_API_SCOPE: SCOPE }
const client = await startService(t, 'client-api', clientEnv)

const tokenRes = await request(`${emulator.url}/${TENANT}/oauth2/v2.0/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT, client_secret: SECRET, scope: SCOPE }).toString()
})
const { access_token: staticToken } = await tokenRes.body.json() as { access_token: string }

async function startBare (env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import=tsx', `${repoRoot}services/client-api/bench/bare-proxy.ts`], {
    env: { ...process.env, RESOURCE_API_URL: resource.url, STATIC_TOKEN: staticToken, SCOPE, ...env },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  cleanups.push(async () => {
    child.kill('SIGKILL')
    if (child.exitCode === null) await once(child, 'exit')
  })
  const url = await new Promise<string>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string, url?: string }
      if (entry.msg === 'listening' && entry.url) resolve(entry.url)
    })
  })
  return { url, pid: child.pid! }
}
const bare = await startBare({})
const sameBytes = await startBare({ SAME_BYTES: 'true' })

// utime and stime of a process, in ms (Linux clock ticks of 10 ms).
const cpuMs = (pid: number): { user: number, system: number } => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 }
}

async function load (url: string, seconds: number, pid: number) {
  const before = cpuMs(pid)
  const result = await autocannon({ url: `${url}/`, connections: CONNECTIONS, duration: seconds })
  const after = cpuMs(pid)
  const perRequest = (ms: number) => (ms * 1000) / Math.max(1, result.requests.total)
  if (result.non2xx || result.errors) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`)
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    userUs: perRequest(after.user - before.user),
    systemUs: perRequest(after.system - before.system)
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
type Load = Awaited<ReturnType<typeof load>>
const rows: Array<{ round: number, base: Load, same: Load, client: Load }> = []
try {
  for (const { url, pid } of [bare, sameBytes, client]) await load(url, WARMUP_SECONDS, pid)
  for (let round = 1; round <= ROUNDS; round++) {
    const base = await load(bare.url, SECONDS, bare.pid)
    const same = await load(sameBytes.url, SECONDS, sameBytes.pid)
    const measured = await load(client.url, SECONDS, client.pid)
    rows.push({ round, base, same, client: measured })
    console.log(`round ${round}: bare ${base.rps.toFixed(0)}, bare with client-api's bytes ${same.rps.toFixed(0)}, client-api ${measured.rps.toFixed(0)} req/s`)
  }
  const us = (value: number) => value.toFixed(0)
  console.log('\n| round | bare req/s | client-api req/s | ratio | p50 ms (bare) | p99 ms (bare) | user CPU µs/req (bare) | system CPU µs/req (bare) |')
  console.log('|---|---|---|---|---|---|---|---|')
  for (const { round, base, client: c } of rows) {
    console.log(`| ${round} | ${us(base.rps)} | ${us(c.rps)} | ${(c.rps / base.rps).toFixed(3)} | ${c.p50} (${base.p50}) | ${c.p99} (${base.p99}) | ${us(c.userUs)} (${us(base.userUs)}) | ${us(c.systemUs)} (${us(base.systemUs)}) |`)
  }
  const mid = (pick: (row: typeof rows[number]) => number) => median(rows.map(pick))
  console.log(`| median | ${us(mid((r) => r.base.rps))} | ${us(mid((r) => r.client.rps))} | ${mid((r) => r.client.rps / r.base.rps).toFixed(3)} | | | ${us(mid((r) => r.client.userUs))} (${us(mid((r) => r.base.userUs))}) | ${us(mid((r) => r.client.systemUs))} (${us(mid((r) => r.base.systemUs))}) |`)
  console.log(`\nbare with client-api's bytes (x-request-id, token facts): median ${us(mid((r) => r.same.rps))} req/s, ${mid((r) => r.same.rps / r.base.rps).toFixed(3)} of bare; ` +
    `client-api is ${mid((r) => r.client.rps / r.same.rps).toFixed(3)} of it; user CPU µs/req ${us(mid((r) => r.same.userUs))}`)

  await request(`${emulator.url}/_emulator/stats`, { method: 'DELETE' }).then((res) => res.body.dump())
  const cold = await startService(t, 'client-api', clientEnv, { waitReady: false })
  const statuses = await Promise.all(Array.from({ length: 100 }, async () => {
    const res = await request(`${cold.url}/`)
    await res.body.dump()
    return res.statusCode
  }))
  const stats = await (await request(`${emulator.url}/_emulator/stats`)).body.json() as { tokenRequests: number }
  console.log(`\n100 concurrent cold GET /: ${statuses.filter((s) => s === 200).length} × 200, token requests at the emulator: ${stats.tokenRequests}`)
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup()
}
