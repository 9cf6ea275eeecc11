import type { Timers } from '../src/token-provider.js'

/** A pinned clock with timers that fire only when the test advances time. */
export function fakeClock (start = Date.UTC(2026, 0, 1)) {
  let time = start
  let nextId = 0
  const pending = new Map<number, { at: number, fn: () => void }>()
  const timers: Timers = {
    setTimeout (fn, ms) {
      nextId += 1
      pending.set(nextId, { at: time + ms, fn })
      return nextId
    },
    clearTimeout: (handle) => { pending.delete(handle as number) }
  }
  return {
    now: () => time,
    timers,
    /** When the next timer is due, if any. */
    nextTimerAt: () => Math.min(...[...pending.values()].map(({ at }) => at)),
    pendingTimers: () => pending.size,
    /** Moves time forward, firing every timer that falls due, in order; lets promises settle after each. */
    async advance (ms: number) {
      const until = time + ms
      for (;;) {
        const due = [...pending.entries()].filter(([, timer]) => timer.at <= until).sort((a, b) => a[1].at - b[1].at)[0]
        if (due === undefined) break
        pending.delete(due[0])
        time = due[1].at
        due[1].fn()
        await settle()
      }
      time = until
      await settle()
    }
  }
}

/** Lets pending promise callbacks run. */
export async function settle (): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}
