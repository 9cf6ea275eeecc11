import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { compare, compareMany, type Comparison, type Target } from '../lib/compare.js'
import type { BenchContext } from '../lib/context.js'
import { CLIENT_APP } from '../lib/demo.js'
import { preflight, type Preflight } from '../lib/preflight.js'
import { fixed } from '../lib/report.js'
import { comparisonRow, problemNotes, ratioCheck, type Scenario } from '../lib/scenario.js'
import { measureVerifyCost } from '../lib/verify-cost.js'

export const FORECAST_PATH = '/api/forecast'
/** The resource API's default verification-result cache size (entra-auth options). */
const VERIFIER_CACHE_SIZE = 1000
const VERIFY_COST_TOKENS = 1000

const target = (label: string, server: { url: string, pid: number }): Target =>
  ({ label, url: `${server.url}${FORECAST_PATH}`, pids: [server.pid] })

export const twinTarget = async (ctx: BenchContext) => target('bare Fastify twin', await ctx.benchServer('twin'))

/** Scenario 1's measurement, shared with scenario 3 (ours ÷ each peer). */
export function oursReused (ctx: BenchContext): Promise<{ cmp: Comparison, probes: Preflight, loggedCmp: Comparison }> {
  return ctx.once('ours-reused', async () => {
    const [emulator, resource, token, twin] = await Promise.all([ctx.emulator(), ctx.resourceApi(), ctx.validToken(), twinTarget(ctx)])
    const logged = target('twin + the services\' logger settings, no auth', await ctx.benchServer('twin', { BENCH_TWIN_LOGGER: '1' }, 'twin-logged'))
    const ours = target('resource-api, one reused token', resource)
    const probes = await preflight(ours.url, emulator, token)
    const [cmp, loggedCmp] = await compareMany(ctx, [ours, logged], twin, { headers: { authorization: `Bearer ${token}` } }) as [Comparison, Comparison]
    return { cmp, probes, loggedCmp }
  })
}

/** A/A: the twin against a second twin process. Its spread is the noise floor of every ratio in the table. */
export const noiseFloor: Scenario = {
  name: 'noise',
  number: 0,
  async run (ctx) {
    const [twin, second] = await Promise.all([twinTarget(ctx), ctx.benchServer('twin', {}, 'twin-2')])
    const cmp = await compare(ctx, target('bare Fastify twin, second process (A/A)', second), twin, { headers: {} })
    return [{ table: 'throughput', rows: [comparisonRow('0', cmp, undefined)], notes: problemNotes(cmp, undefined) }]
  }
}

export const reusedToken: Scenario = {
  name: 'resource',
  number: 1,
  async run (ctx) {
    const { cmp, probes, loggedCmp } = await oursReused(ctx)
    ratioCheck(ctx, '1. resource-api ÷ twin, one reused token', cmp, probes, 0.9)
    return [{
      table: 'throughput',
      rows: [comparisonRow('1', cmp, probes), comparisonRow('1', loggedCmp, undefined)],
      notes: [
        '1: the second row is the twin with the services\' logger settings (Fastify then builds a pino child logger per request): ' +
          'it splits the gap between logging and auth. Each round: twin, then both contenders in rotating order.',
        ...problemNotes(cmp, probes),
        ...problemNotes(loggedCmp, undefined)
      ]
    }]
  }
}

export const freshTokens: Scenario = {
  name: 'fresh',
  number: 2,
  async run (ctx) {
    const [emulator, resource, twin, floorServer] = await Promise.all([ctx.emulator(), ctx.resourceApi(), twinTarget(ctx), ctx.benchServer('floor-validator')])
    const file = join(ctx.tmpDir, 'fresh-tokens.txt')
    const mintStarted = performance.now()
    await emulator.mintToFile(CLIENT_APP, ctx.settings.freshTokens, file)
    const mintS = (performance.now() - mintStarted) / 1000
    const tokens = (await readFile(file, 'utf8')).split('\n').filter(Boolean)
    const cost = await measureVerifyCost(emulator.url, tokens.slice(0, VERIFY_COST_TOKENS))

    const ours = target('resource-api, a distinct token per request', resource)
    const floor = target('floor: twin + bare node:crypto verify and claim checks, no cache', floorServer)
    const [probes, floorProbes] = [await preflight(ours.url, emulator, tokens[0]!), await preflight(floor.url, emulator, tokens[0]!)]
    const [cmp, floorCmp] = await compareMany(ctx, [ours, floor], twin, { headers: {}, tokensFile: file }) as [Comparison, Comparison]
    ratioCheck(ctx, '2. resource-api ÷ twin, a distinct token per request', cmp, probes, 0.5)
    const verifyUs = cmp.cont.cpuUsPerReq - cmp.base.cpuUsPerReq
    return [{
      table: 'throughput',
      rows: [comparisonRow('2', cmp, probes), comparisonRow('2', floorCmp, floorProbes)],
      notes: [
        `2: ${tokens.length} distinct tokens from the emulator's token endpoint (minted in ${fixed(mintS, 1)} s), cycled; ` +
          (tokens.length > VERIFIER_CACHE_SIZE
            ? `more than the verifier's result cache holds (${VERIFIER_CACHE_SIZE}, oldest out first): every request is a miss. `
            : `FEWER than the verifier's result cache holds (${VERIFIER_CACHE_SIZE}): most requests are hits. `) +
          'The baseline gets the same headers.',
        `2: verify cost per token under load (ours − twin, server CPU per request) ≈ ${fixed(verifyUs)} µs. ` +
          `Sequential, in the runner, on ${Math.min(tokens.length, VERIFY_COST_TOKENS)} of the tokens: the resource API's whole verifier ${fixed(cost.verifierUs, 1)} µs; ` +
          `its per-key fast-jwt verifier alone ${fixed(cost.signingKeyUs, 1)} µs; node:crypto RS256 verify alone ${fixed(cost.rsaUs, 1)} µs (the floor).`,
        '2: the floor row is what the hardware allows: a bench server doing only the unavoidable work of a correct RS256 check ' +
          '(bench/servers/floor-validator.ts), in the same rounds as the resource-api (each round: twin, then both in rotating order).',
        ...problemNotes(cmp, probes),
        ...problemNotes(floorCmp, floorProbes)
      ]
    }]
  }
}
