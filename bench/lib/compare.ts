import type { LoadJob, LoadResult } from './load-protocol.js'
import type { Loader } from './loader.js'
import type { BenchSettings } from './settings.js'
import { median } from './stats.js'

/** Something to put load on: a URL plus the server processes whose CPU it costs. */
export interface Target {
  readonly label: string
  readonly url: string
  readonly pids: readonly number[]
}

/** Request shape shared by both sides of a comparison, so the load generator does the same work for each. */
export interface RequestShape {
  readonly headers: Record<string, string>
  readonly tokensFile?: string
}

/** Medians over the rounds of one side of a comparison. */
export interface Measured {
  readonly rps: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly cpuUsPerReq: number
  /** Per server process, in the order of the target's `pids`. */
  readonly cpuUsPerReqByPid: readonly number[]
}

export interface Comparison {
  readonly contender: string
  readonly baseline: string
  readonly base: Measured
  readonly cont: Measured
  /** contender ÷ baseline req/s, one per round. */
  readonly ratios: readonly number[]
  /** Median of the per-round ratios. */
  readonly ratio: number
  /** Median per-round baseline ÷ contender server CPU per request: steadier than req/s on a shared machine. */
  readonly cpuRatio: number
  /** Runs that saw a non-2xx answer or a socket error: their figures are not a throughput of the intended work. */
  readonly failures: readonly string[]
}

export interface CompareContext {
  readonly loader: Loader
  readonly settings: BenchSettings
  /** Targets already warmed up once (by label). */
  readonly warmed: Set<string>
}

async function runOnce (ctx: CompareContext, target: Target, shape: RequestShape): Promise<LoadResult> {
  const { settings } = ctx
  const warmupS = ctx.warmed.has(target.label) ? settings.warmupS : settings.firstWarmupS
  ctx.warmed.add(target.label)
  const job: LoadJob = {
    url: target.url,
    connections: settings.connections,
    warmupS,
    durationS: settings.durationS,
    headers: shape.headers,
    pids: target.pids,
    ...(shape.tokensFile ? { tokensFile: shape.tokensFile } : {})
  }
  return ctx.loader.load(job)
}

function summarise (runs: readonly LoadResult[]): Measured {
  return {
    rps: median(runs.map((r) => r.rps)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    cpuUsPerReq: median(runs.map((r) => r.cpuUsPerReq)),
    cpuUsPerReqByPid: (runs[0]?.cpuUsPerReqByPid ?? []).map((_, i) => median(runs.map((r) => r.cpuUsPerReqByPid[i] ?? 0)))
  }
}

function failuresOf (label: string, runs: readonly LoadResult[]): string[] {
  return runs.flatMap((r, round) => r.non2xx > 0 || r.errors > 0 || r.completed === 0
    ? [`${label} round ${round + 1}: ${r.completed} completed, ${r.non2xx} non-2xx, ${r.errors} errors`]
    : [])
}

/**
 * Alternates baseline and contender for `settings.rounds` rounds (baseline first in each) and reports the
 * medians of each side and of the per-round ratios: on a shared, noisy machine only ratios taken
 * close together in time mean anything.
 */
export async function compare (ctx: CompareContext, contender: Target, baseline: Target, shape: RequestShape): Promise<Comparison> {
  const [comparison] = await compareMany(ctx, [contender], baseline, shape)
  return comparison!
}

/** {@link compare} for several contenders sharing each round's baseline run; their order rotates from round to round. */
export async function compareMany (ctx: CompareContext, contenders: readonly Target[], baseline: Target, shape: RequestShape): Promise<Comparison[]> {
  const baseRuns: LoadResult[] = []
  const contRuns: LoadResult[][] = contenders.map(() => [])
  for (let round = 0; round < ctx.settings.rounds; round++) {
    baseRuns.push(await runOnce(ctx, baseline, shape))
    for (let i = 0; i < contenders.length; i++) {
      const which = (i + round) % contenders.length
      contRuns[which]!.push(await runOnce(ctx, contenders[which]!, shape))
    }
  }
  return contenders.map((contender, i) => {
    const runs = contRuns[i]!
    const ratios = runs.map((run, round) => run.rps / baseRuns[round]!.rps)
    const cpuRatios = runs.map((run, round) => baseRuns[round]!.cpuUsPerReq / run.cpuUsPerReq)
    return {
      contender: contender.label,
      baseline: baseline.label,
      base: summarise(baseRuns),
      cont: summarise(runs),
      ratios,
      ratio: median(ratios),
      cpuRatio: median(cpuRatios),
      failures: [...failuresOf(baseline.label, baseRuns), ...failuresOf(contender.label, runs)]
    }
  })
}
