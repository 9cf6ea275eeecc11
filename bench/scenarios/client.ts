import { request } from 'undici'
import { compare } from '../lib/compare.js'
import type { Preflight } from '../lib/preflight.js'
import { fixed } from '../lib/report.js'
import { comparisonRow, problemNotes, ratioCheck, type Scenario } from '../lib/scenario.js'

async function servesForecast (url: string): Promise<string | undefined> {
  const res = await request(url)
  const body = await res.body.json().catch(() => undefined) as { forecast?: unknown[] } | undefined
  return res.statusCode === 200 && body?.forecast?.length === 5 ? undefined : `GET ${new URL(url).pathname} answered ${res.statusCode}`
}

export const clientApi: Scenario = {
  name: 'client',
  number: 4,
  async run (ctx) {
    const [client, resource, token] = await Promise.all([ctx.clientApi(), ctx.resourceApi(), ctx.validToken()])
    const proxy = await ctx.benchServer('proxy-baseline', { BENCH_UPSTREAM: resource.url, BENCH_TOKEN: token })
    const ours = { label: 'client-api GET /', url: `${client.url}/`, pids: [client.pid, resource.pid] }
    const baseline = { label: 'bare Fastify proxy, static token, undici Pool', url: `${proxy.url}/`, pids: [proxy.pid, resource.pid] }
    const failures = (await Promise.all([servesForecast(ours.url), servesForecast(baseline.url)])).filter((f) => f !== undefined)
    const probes: Preflight = { passed: 2 - failures.length, total: 2, failures }
    const cmp = await compare(ctx, ours, baseline, { headers: {} })
    ratioCheck(ctx, '4. client-api ÷ proxy with a static token', cmp, probes, 0.9)
    const [clientCpu, resourceUnderClient] = cmp.cont.cpuUsPerReqByPid
    const [proxyCpu, resourceUnderProxy] = cmp.base.cpuUsPerReqByPid
    return [{
      table: 'throughput',
      rows: [comparisonRow('4', cmp, probes)],
      notes: [
        '4: both sides call the same resource-api process (which verifies the token: a result-cache hit); server CPU adds both processes. Probes: both answer 200 with the forecast.',
        `4: CPU µs/req by process: client-api ${fixed(clientCpu ?? NaN)} vs proxy ${fixed(proxyCpu ?? NaN)}; ` +
          `the resource-api behind them ${fixed(resourceUnderClient ?? NaN)} vs ${fixed(resourceUnderProxy ?? NaN)}.`,
        ...problemNotes(cmp, probes)
      ]
    }]
  }
}
