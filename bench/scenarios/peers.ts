import { compare } from '../lib/compare.js'
import { preflight } from '../lib/preflight.js'
import { fixed } from '../lib/report.js'
import { comparisonRow, problemNotes, type Scenario } from '../lib/scenario.js'
import { FORECAST_PATH, oursReused, twinTarget } from './resource.js'

/** Peer stacks (bench/servers/<script>.ts): each verifies signature, iss, aud, exp/nbf and the Forecast.Read role. */
export const PEERS = [
  { script: 'express-passport', label: 'Express + passport-azure-ad BearerStrategy' },
  { script: 'express-jsonwebtoken', label: 'Express + jsonwebtoken + jwks-rsa' },
  { script: 'fastify-jose', label: 'Fastify + jose createRemoteJWKSet' },
  { script: 'fastify-jwt-jwks', label: 'fastify-jwt-jwks' }
] as const

export const peers: Scenario = {
  name: 'peers',
  number: 3,
  async run (ctx) {
    const ours = await oursReused(ctx)
    const [emulator, token, twin] = await Promise.all([ctx.emulator(), ctx.validToken(), twinTarget(ctx)])
    const throughput: string[][] = []
    const versus: string[][] = []
    const notes: string[] = []
    for (const peer of PEERS) {
      const server = await ctx.benchServer(peer.script)
      const contender = { label: peer.label, url: `${server.url}${FORECAST_PATH}`, pids: [server.pid] }
      const probes = await preflight(contender.url, emulator, token)
      const cmp = await compare(ctx, contender, twin, { headers: { authorization: `Bearer ${token}` } })
      throughput.push(comparisonRow('3', cmp, probes))
      notes.push(...problemNotes(cmp, probes))
      versus.push([
        peer.label,
        fixed(cmp.ratio, 3),
        fixed(ours.cmp.ratio / cmp.ratio, 2),
        fixed(cmp.cont.cpuUsPerReq),
        fixed(ours.cmp.cont.cpuUsPerReq),
        fixed(cmp.cont.cpuUsPerReq / ours.cmp.cont.cpuUsPerReq, 2)
      ])
    }
    return [
      { table: 'throughput', rows: throughput, notes },
      {
        table: 'peers',
        rows: versus,
        notes: [
          'ours ÷ peer = (ours ÷ twin) ÷ (peer ÷ twin), each the median of its own alternated rounds; CPU is the server process\'s user + system time per request.',
          'Probes (every contender, before it is measured): a valid Forecast.Read token → 200 with the forecast; no token, a bad signature, ' +
            'a tenant B token (another issuer) → 401; a token without the role → 403. Audience and lifetime are configured ' +
            '(each stack\'s audience option, its default exp/nbf checks) but not probed: the emulator issues no wrong-audience or expired tokens.'
        ]
      }
    ]
  }
}
