import type { Comparison } from './compare.js'
import type { BenchContext } from './context.js'
import type { Preflight } from './preflight.js'
import { fixed } from './report.js'

/** The report's tables; scenarios add rows to them. */
export type TableId = 'throughput' | 'peers' | 'cold' | 'startup'

export interface ScenarioOutput {
  readonly table: TableId
  readonly rows: ReadonlyArray<readonly string[]>
  readonly notes?: readonly string[]
}

export interface Scenario {
  /** What `npm run bench -- <name>` selects (the number works too). */
  readonly name: string
  readonly number: number
  run: (ctx: BenchContext) => Promise<ScenarioOutput[]>
}

export const tables: Record<TableId, { title: string, columns: readonly string[] }> = {
  throughput: {
    title: 'Throughput: contender ÷ baseline, alternated, medians (scenarios 0–4)',
    columns: ['#', 'contender', 'baseline', 'base req/s', 'req/s', 'ratio', 'per-round ratios', 'p50 ms (base)', 'p99 ms (base)', 'server CPU µs/req (base)', 'CPU ratio', 'probes']
  },
  peers: {
    title: 'Ours ÷ peers (scenario 3; one reused token)',
    columns: ['peer', 'peer ÷ twin', 'ours ÷ peer, req/s', 'peer CPU µs/req', 'ours CPU µs/req', 'peer CPU ÷ ours']
  },
  cold: {
    title: 'Cold bursts: concurrent calls on a fresh client (scenario 5)',
    columns: ['client', 'burst', 'succeeded', 'token requests', 'metadata fetches', 'JWKS fetches', 'burst wall ms']
  },
  startup: {
    title: 'Start-up and memory (scenario 6)',
    columns: ['service', 'start → listening ms', 'start → ready ms', 'RSS at ready MiB', 'peak RSS under load MiB', 'load']
  }
}

export function comparisonRow (number: string, cmp: Comparison, probes: Preflight | undefined): string[] {
  const both = (cont: number, base: number, digits = 0) => `${fixed(cont, digits)} (${fixed(base, digits)})`
  return [
    number,
    cmp.contender,
    cmp.baseline,
    fixed(cmp.base.rps),
    fixed(cmp.cont.rps),
    cmp.failures.length > 0 ? `**invalid** ${fixed(cmp.ratio, 3)}` : fixed(cmp.ratio, 3),
    cmp.ratios.map((r) => fixed(r, 2)).join(' / '),
    both(cmp.cont.p50Ms, cmp.base.p50Ms),
    both(cmp.cont.p99Ms, cmp.base.p99Ms),
    both(cmp.cont.cpuUsPerReq, cmp.base.cpuUsPerReq),
    fixed(cmp.cpuRatio, 3),
    probes ? `${probes.passed}/${probes.total}` : 'n/a'
  ]
}

/** Notes for a comparison whose runs failed or whose contender failed its probes. */
export function problemNotes (cmp: Comparison, probes: Preflight | undefined): string[] {
  return [
    ...cmp.failures.map((f) => `${cmp.contender}: ${f}`),
    ...(probes?.failures ?? []).map((f) => `${cmp.contender} probe failed: ${f}`)
  ]
}

/** A ratio target: met only when the runs were clean and the probes passed. */
export function ratioCheck (ctx: BenchContext, what: string, cmp: Comparison, probes: Preflight | undefined, goal: number): void {
  const clean = cmp.failures.length === 0 && (probes === undefined || probes.failures.length === 0)
  ctx.checks.push({ what, goal: `≥ ${goal.toFixed(2)}`, value: fixed(cmp.ratio, 3), met: clean && cmp.ratio >= goal })
}
