import autocannon from 'autocannon'
import { readFileSync } from 'node:fs'
import { Agent, request } from 'undici'
import { cpuTimeUs } from './proc-stats.js'
import type { BurstJob, BurstResult, LoadJob, LoadResult, WorkerReply, WorkerRequest } from './load-protocol.js'

// Runs in its own process so that the load generator never shares an event loop with a server under test.

function requestsFor (job: LoadJob): autocannon.Request[] {
  const base = { method: 'GET' as const, path: new URL(job.url).pathname, headers: job.headers }
  if (!job.tokensFile) return [base]
  const tokens = readFileSync(job.tokensFile, 'utf8').split('\n').filter(Boolean)
  let next = 0
  return [{
    ...base,
    // A fresh token per request, cycling through more tokens than any verification cache holds.
    setupRequest: (req) => {
      req.headers = { ...req.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` }
      return req
    }
  }]
}

async function load (job: LoadJob): Promise<LoadResult> {
  const target = new URL(job.url)
  const options = { url: target.origin, connections: job.connections, requests: requestsFor(job) }
  if (job.warmupS > 0) await autocannon({ ...options, duration: job.warmupS })
  const cpuBefore = job.pids.map(cpuTimeUs)
  const result = await autocannon({ ...options, duration: job.durationS })
  const cpuUsByPid = job.pids.map((pid, i) => cpuTimeUs(pid) - (cpuBefore[i] ?? 0))
  const cpuUs = cpuUsByPid.reduce((sum, us) => sum + us, 0)
  const completed = result.requests.total
  const perRequest = (us: number) => completed > 0 ? us / completed : 0
  return {
    // Completed requests over the run's actual duration: autocannon's per-second average needs whole seconds.
    rps: result.duration > 0 ? completed / result.duration : 0,
    completed,
    non2xx: result.non2xx,
    errors: result.errors,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuUsPerReq: perRequest(cpuUs),
    cpuUsPerReqByPid: cpuUsByPid.map(perRequest)
  }
}

async function burst (job: BurstJob): Promise<BurstResult> {
  const dispatcher = new Agent({ connections: job.count, pipelining: 0, keepAliveTimeout: 10 })
  const statuses: Record<string, number> = {}
  const started = performance.now()
  try {
    await Promise.all(Array.from({ length: job.count }, async () => {
      const key = await request(job.url, { dispatcher, headersTimeout: 60_000, bodyTimeout: 60_000 })
        .then(async (res) => { await res.body.dump(); return String(res.statusCode) })
        .catch((err: NodeJS.ErrnoException) => err.code ?? 'error')
      statuses[key] = (statuses[key] ?? 0) + 1
    }))
    return { wallMs: performance.now() - started, statuses }
  } finally {
    await dispatcher.close()
  }
}

async function handle (message: WorkerRequest): Promise<WorkerReply> {
  try {
    const result = message.kind === 'load' ? await load(message.job) : await burst(message.job)
    return { id: message.id, ok: true, result }
  } catch (err) {
    return { id: message.id, ok: false, error: (err as Error).message }
  }
}

process.on('message', (message: WorkerRequest) => {
  handle(message).then((reply) => process.send?.(reply), () => process.exit(1))
})
process.on('disconnect', () => process.exit(0))
