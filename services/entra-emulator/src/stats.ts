/** Request counters since start (or the last reset). */
export interface StatsSnapshot {
  tokenRequests: number
  tokensIssued: number
  jwksRequests: number
  metadataRequests: number
}

export type Counter = keyof StatsSnapshot

/** The emulator's counters, read by `GET /_emulator/stats`. */
export interface Stats {
  count: (counter: Counter) => void
  snapshot: () => StatsSnapshot
  reset: () => void
}

export function createStats (): Stats {
  const zero = (): StatsSnapshot => ({ tokenRequests: 0, tokensIssued: 0, jwksRequests: 0, metadataRequests: 0 })
  let counters = zero()
  return {
    count: (counter) => { counters[counter]++ },
    snapshot: () => ({ ...counters }),
    reset: () => { counters = zero() }
  }
}
