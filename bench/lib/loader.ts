import { fork } from 'node:child_process'
import { once } from 'node:events'
import { repoRoot } from './processes.js'
import type { BurstJob, BurstResult, LoadJob, LoadResult, WorkerReply, WorkerRequest } from './load-protocol.js'

/** The load generator: autocannon in a separate process, driven over IPC one job at a time. */
export interface Loader {
  load: (job: LoadJob) => Promise<LoadResult>
  burst: (job: BurstJob) => Promise<BurstResult>
  close: () => Promise<void>
}

export function startLoader (): Loader {
  const child = fork(`${repoRoot}bench/lib/load-worker.ts`, [], { cwd: repoRoot, execArgv: ['--import=tsx'], stdio: 'inherit' })
  const exited = once(child, 'exit')
  const pending = new Map<number, { resolve: (value: unknown) => void, reject: (err: Error) => void }>()
  let nextId = 0

  child.on('message', (reply: WorkerReply) => {
    const waiter = pending.get(reply.id)
    pending.delete(reply.id)
    if (reply.ok) waiter?.resolve(reply.result)
    else waiter?.reject(new Error(`load generator: ${reply.error}`))
  })
  exited.then(() => {
    for (const waiter of pending.values()) waiter.reject(new Error('load generator exited'))
    pending.clear()
  }, () => {})

  const call = <T>(message: Omit<WorkerRequest, 'id'>): Promise<T> => new Promise((resolve, reject) => {
    const id = nextId++
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
    child.send({ ...message, id })
  })

  return {
    load: (job) => call<LoadResult>({ kind: 'load', job }),
    burst: (job) => call<BurstResult>({ kind: 'burst', job }),
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.disconnect()
      await exited
    }
  }
}
