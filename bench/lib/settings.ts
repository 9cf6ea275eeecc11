/** How hard and how long the bench pushes; the smoke mode only proves the code runs. */
export interface BenchSettings {
  readonly smoke: boolean
  readonly rounds: number
  /** Warm-up before a target's first measured run (JIT, key fetch, connection set-up)… */
  readonly firstWarmupS: number
  /** …and before each later run. */
  readonly warmupS: number
  readonly durationS: number
  readonly connections: number
  /** Distinct tokens for scenario 2: more than any verification cache under test holds. */
  readonly freshTokens: number
  readonly burstSizes: readonly number[]
  readonly startupRepeats: number
}

export const fullSettings: BenchSettings = Object.freeze({
  smoke: false,
  rounds: 3,
  firstWarmupS: 1.5,
  warmupS: 0.5,
  durationS: 3,
  connections: 50,
  freshTokens: 3000,
  burstSizes: [100, 1000],
  startupRepeats: 3
})

export const smokeSettings: BenchSettings = Object.freeze({
  smoke: true,
  rounds: 1,
  firstWarmupS: 0,
  warmupS: 0,
  durationS: 0.5,
  connections: 4,
  freshTokens: 50,
  burstSizes: [10, 20],
  startupRepeats: 1
})
