import { clientApiEnv } from '../lib/context.js'
import { CLIENT_APP } from '../lib/demo.js'
import type { EmulatorStats } from '../lib/emulator.js'
import { runBenchScript, startServiceProcess } from '../lib/processes.js'
import { fixed } from '../lib/report.js'
import type { Scenario } from '../lib/scenario.js'

interface MsalBurst { version: string, ok: number, failed: number, wallMs: number }

const counts = (stats: EmulatorStats) => [String(stats.tokenRequests), String(stats.metadataRequests), String(stats.jwksRequests)]

export const coldBursts: Scenario = {
  name: 'cold',
  number: 5,
  async run (ctx) {
    const [emulator, resource] = await Promise.all([ctx.emulator(), ctx.resourceApi()])
    const rows: string[][] = []
    for (const size of ctx.settings.burstSizes) {
      // Counters from before the client starts: its start-up acquisition counts too.
      await emulator.resetStats()
      const client = await startServiceProcess('client-api', clientApiEnv(emulator.url, resource.url), { waitReady: false })
      try {
        const burst = await ctx.loader.burst({ url: `${client.url}/`, count: size })
        const stats = await emulator.stats()
        const ok = burst.statuses['200'] ?? 0
        const others = Object.entries(burst.statuses).filter(([status]) => status !== '200').map(([s, n]) => `${n}× ${s}`)
        rows.push(['client-api GET /', String(size), `${ok}/${size}${others.length > 0 ? ` (${others.join(', ')})` : ''}`, ...counts(stats), fixed(burst.wallMs)])
        const met = ok === size && stats.tokenRequests === 1 && stats.metadataRequests <= 1
        ctx.checks.push({
          what: `5. cold burst of ${size} on client-api`,
          goal: '1 token request, ≤ 1 metadata fetch, all 200',
          value: `${stats.tokenRequests} token, ${stats.metadataRequests} metadata, ${ok}/${size} 200`,
          met
        })
      } finally {
        await client.stop()
      }

      await emulator.resetStats()
      const msal = await runBenchScript<MsalBurst>('msal-burst', 'msal-burst', {
        BENCH_AUTHORITY_HOST: emulator.url,
        BENCH_COUNT: String(size),
        BENCH_TENANT_ID: CLIENT_APP.tenantId,
        BENCH_CLIENT_ID: CLIENT_APP.clientId,
        BENCH_CLIENT_SECRET: CLIENT_APP.secret
      })
      rows.push([`raw MSAL Node ${msal.version} acquireTokenByClientCredential`, String(size), `${msal.ok}/${size}`, ...counts(await emulator.stats()), fixed(msal.wallMs)])
    }
    return [{
      table: 'cold',
      rows,
      notes: [
        'client-api: counters reset, a fresh process started, and the burst sent as soon as it logs `listening` (before it is ready), ' +
          'each request on its own connection; its start-up acquisition is counted. Wall time runs from the first request to the last answer.',
        'raw MSAL: one fresh ConfidentialClientApplication (cloudDiscoveryMetadata as the client-api passes it), `burst` concurrent calls, in its own process.'
      ]
    }]
  }
}
