/** One measured autocannon run, after an optional warm-up on the same connections count. */
export interface LoadJob {
  readonly url: string
  readonly connections: number
  readonly warmupS: number
  readonly durationS: number
  readonly headers: Record<string, string>
  /** A file with one bearer token per line: each request takes the next one (scenario 2). */
  readonly tokensFile?: string
  /** Server processes whose CPU time is charged to this run. */
  readonly pids: readonly number[]
}

export interface LoadResult {
  readonly rps: number
  readonly completed: number
  readonly non2xx: number
  readonly errors: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** CPU time the server processes spent per completed request… */
  readonly cpuUsPerReq: number
  /** …and each of them, in the order of `pids`. */
  readonly cpuUsPerReqByPid: readonly number[]
}

/** `count` concurrent GETs, each on its own connection. */
export interface BurstJob {
  readonly url: string
  readonly count: number
}

export interface BurstResult {
  readonly wallMs: number
  /** Responses by status code, failures by error code. */
  readonly statuses: Record<string, number>
}

export type WorkerRequest =
  | { readonly id: number, readonly kind: 'load', readonly job: LoadJob }
  | { readonly id: number, readonly kind: 'burst', readonly job: BurstJob }

export type WorkerReply =
  | { readonly id: number, readonly ok: true, readonly result: LoadResult | BurstResult }
  | { readonly id: number, readonly ok: false, readonly error: string }
