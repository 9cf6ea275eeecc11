import { clientApiEnv, resourceApiEnv, type BenchContext } from '../lib/context.js'
import type { LoadJob } from '../lib/load-protocol.js'
import { startServiceProcess, type TimedService } from '../lib/processes.js'
import { peakRssMiB } from '../lib/proc-stats.js'
import { fixed } from '../lib/report.js'
import type { Scenario } from '../lib/scenario.js'
import { median } from '../lib/stats.js'
import { FORECAST_PATH } from './resource.js'

interface StartSample { listeningMs: number, readyMs: number, rssMiB: number }

async function timeStarts (ctx: BenchContext, name: string, env: Record<string, string>): Promise<StartSample[]> {
  const samples: StartSample[] = []
  for (let i = 0; i < ctx.settings.startupRepeats; i++) {
    const service = await startServiceProcess(name, env)
    try {
      samples.push({ listeningMs: service.listeningMs, readyMs: service.readyMs, rssMiB: peakRssMiB(service.pid) })
    } finally {
      await service.stop()
    }
  }
  return samples
}

/** Puts one measured run of load on `service` unless an earlier scenario already did. */
async function ensureLoaded (ctx: BenchContext, label: string, job: Omit<LoadJob, 'connections' | 'warmupS' | 'durationS'>): Promise<void> {
  if (ctx.warmed.has(label)) return
  const { connections, durationS } = ctx.settings
  await ctx.loader.load({ ...job, connections, warmupS: 0, durationS })
}

export const startup: Scenario = {
  name: 'startup',
  number: 6,
  async run (ctx) {
    const [emulator, resource, client, token] = await Promise.all([ctx.emulator(), ctx.resourceApi(), ctx.clientApi(), ctx.validToken()])
    const services: Array<[string, Record<string, string>, TimedService, string]> = [
      ['entra-emulator', {}, emulator.service, 'token minting and JWKS/metadata serving of this run'],
      ['resource-api', resourceApiEnv(emulator.url), resource, 'scenario 1 (and 2, 4 when run)'],
      ['client-api', clientApiEnv(emulator.url, resource.url), client, 'scenario 4']
    ]
    await ensureLoaded(ctx, 'resource-api, one reused token', {
      url: `${resource.url}${FORECAST_PATH}`, headers: { authorization: `Bearer ${token}` }, pids: [resource.pid]
    })
    await ensureLoaded(ctx, 'client-api GET /', { url: `${client.url}/`, headers: {}, pids: [client.pid, resource.pid] })

    const rows: string[][] = []
    for (const [name, env, running, load] of services) {
      const samples = await timeStarts(ctx, name, env)
      rows.push([
        name,
        fixed(median(samples.map((s) => s.listeningMs))),
        fixed(median(samples.map((s) => s.readyMs))),
        fixed(median(samples.map((s) => s.rssMiB)), 1),
        fixed(peakRssMiB(running.pid), 1),
        load
      ])
    }
    return [{
      table: 'startup',
      rows,
      notes: [
        `Start times: median of ${ctx.settings.startupRepeats} fresh \`node services/<name>/dist/server.js\` processes, from spawn to the ` +
          '`listening` log line and to the first 200 from `/health/ready` (polled every 5 ms); the resource-api is ready once it holds the ' +
          'emulator\'s metadata and keys, the client-api once it holds a token.',
        'RSS at ready: VmHWM of those fresh processes. Peak RSS under load: VmHWM of the long-lived processes the load scenarios used.'
      ]
    }]
  }
}
