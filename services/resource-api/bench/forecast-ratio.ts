// GET /api/forecast with one reused valid token, against the same handler with no authentication.
// Both servers run in their own processes; autocannon runs here. Rounds alternate the order, and the
// ratio is the median of the per-round ratios. Usage: npx tsx services/resource-api/bench/forecast-ratio.ts
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'

const ROUNDS = Number(process.env['ROUNDS'] ?? 3)
const WARMUP_S = Number(process.env['WARMUP_S'] ?? 2)
const DURATION_S = Number(process.env['DURATION_S'] ?? 8)
const CONNECTIONS = 50
const serve = fileURLToPath(new URL('./serve.ts', import.meta.url))

interface Target { name: 'bare' | 'auth', url: string, token: string, child: ChildProcess }
interface Result { reqPerSec: number, p50: number, p99: number, cpuUsPerReq: number, non2xx: number }

async function start (name: Target['name']): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', serve, name], { stdio: ['ignore', 'pipe', 'inherit'] })
  const [line] = await once(createInterface({ input: child.stdout! }), 'line') as [string]
  const { url, token } = JSON.parse(line) as { url: string, token: string }
  return { name, url, token, child }
}

// utime + stime of a process, in µs (clock ticks of 10 ms on Linux).
function cpuUs (pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) * 10_000
}

async function load (target: Target, seconds: number): Promise<Result> {
  const cpuBefore = cpuUs(target.child.pid!)
  const result = await autocannon({
    url: `${target.url}/api/forecast`,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { authorization: `Bearer ${target.token}` }
  })
  const requests = result.requests.total
  return {
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuUsPerReq: Math.round((cpuUs(target.child.pid!) - cpuBefore) / Math.max(requests, 1)),
    non2xx: result.non2xx
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number

const targets = [await start('bare'), await start('auth')]
try {
  const rounds: Array<Record<Target['name'], Result>> = []
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse()
    const results = {} as Record<Target['name'], Result>
    for (const target of order) {
      await load(target, WARMUP_S)
      results[target.name] = await load(target, DURATION_S)
    }
    rounds.push(results)
    const ratio = results.auth.reqPerSec / results.bare.reqPerSec
    console.log(`round ${round + 1}: bare ${results.bare.reqPerSec.toFixed(0)} req/s (cpu ${results.bare.cpuUsPerReq} µs/req), ` +
      `auth ${results.auth.reqPerSec.toFixed(0)} req/s (cpu ${results.auth.cpuUsPerReq} µs/req, non-2xx ${results.auth.non2xx}), ratio ${ratio.toFixed(3)}`)
  }
  const pick = (name: Target['name'], field: keyof Result) => median(rounds.map((r) => r[name][field]))
  console.log(JSON.stringify({
    bare: { reqPerSec: pick('bare', 'reqPerSec'), p50: pick('bare', 'p50'), p99: pick('bare', 'p99'), cpuUsPerReq: pick('bare', 'cpuUsPerReq') },
    auth: { reqPerSec: pick('auth', 'reqPerSec'), p50: pick('auth', 'p50'), p99: pick('auth', 'p99'), cpuUsPerReq: pick('auth', 'cpuUsPerReq') },
    ratio: Number(median(rounds.map((r) => r.auth.reqPerSec / r.bare.reqPerSec)).toFixed(3))
  }))
} finally {
  for (const target of targets) target.child.kill('SIGTERM')
}
