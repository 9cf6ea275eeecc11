import { fork, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { Agent, request } from 'undici'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

/** A server under test, running in its own process. */
export interface BenchProcess {
  readonly name: string
  readonly url: string
  readonly pid: number
  /** The process's last output lines, to explain a failure. */
  readonly output: string[]
  stop: () => Promise<void>
}

/** A service started from its real entry, with the times it took to listen and to be ready. */
export interface TimedService extends BenchProcess {
  readonly listeningMs: number
  readonly readyMs: number
}

const START_TIMEOUT_MS = 30_000
const OUTPUT_LINES_KEPT = 40

function track (name: string, child: ChildProcess) {
  const output: string[] = []
  const keep = (line: string) => {
    output.push(line)
    if (output.length > OUTPUT_LINES_KEPT) output.shift()
  }
  if (child.stdout) createInterface({ input: child.stdout }).on('line', keep)
  if (child.stderr) createInterface({ input: child.stderr }).on('line', keep)
  const exited = once(child, 'exit')
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }
  const failure = (why: string) => new Error(`${name} ${why}:\n${output.join('\n')}`)
  return { output, exited, stop, failure }
}

function deadline<T> (work: Promise<T>, failure: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(failure()), START_TIMEOUT_MS) })
  return Promise.race([work, expired]).finally(() => clearTimeout(timer))
}

/** Forks `bench/servers/<script>.ts` (through tsx); the server reports its URL over IPC once listening. */
export async function startBenchServer (name: string, script: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<BenchProcess> {
  const child = fork(`${repoRoot}bench/servers/${script}.ts`, [], {
    cwd: repoRoot,
    execArgv: ['--import=tsx', ...nodeArgs],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc']
  })
  const { output, exited, stop, failure } = track(name, child)
  const announced = new Promise<string>((resolve, reject) => {
    child.on('message', (message: { url?: string }) => { if (message.url) resolve(message.url) })
    exited.then(() => reject(failure('exited before listening')), reject)
  })
  try {
    const url = await deadline(announced, () => failure(`did not listen within ${START_TIMEOUT_MS} ms`))
    return { name, url, pid: child.pid!, output, stop }
  } catch (err) {
    await stop()
    throw err
  }
}

/**
 * Spawns `node services/<name>/dist/server.js`, timing its `listening` log line and its first `/health/ready` 200
 * (not awaited when `waitReady` is false: `readyMs` is then NaN). `nodeArgs` go before the entry (e.g. `--cpu-prof`).
 */
export async function startServiceProcess (
  name: string, env: Record<string, string>, { waitReady = true, nodeArgs = [] as string[] } = {}
): Promise<TimedService> {
  const started = performance.now()
  const child = spawn(process.execPath, [...nodeArgs, `${repoRoot}services/${name}/dist/server.js`], {
    cwd: repoRoot,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const { output, exited, stop, failure } = track(name, child)
  const listening = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return
      const entry = JSON.parse(line) as { msg?: string, url?: string }
      if (entry.msg === 'listening' && entry.url) resolve(entry.url)
    })
    exited.then(() => reject(failure('exited before listening')), reject)
  })
  try {
    const url = await deadline(listening, () => failure(`did not log 'listening' within ${START_TIMEOUT_MS} ms`))
    const listeningMs = performance.now() - started
    if (waitReady && !await untilReady(url)) throw failure(`was not ready within ${START_TIMEOUT_MS} ms`)
    const readyMs = waitReady ? performance.now() - started : Number.NaN
    return { name, url, pid: child.pid!, output, stop, listeningMs, readyMs }
  } catch (err) {
    await stop()
    throw err
  }
}

const READY_POLL_MS = 5

async function untilReady (url: string): Promise<boolean> {
  const dispatcher = new Agent({ keepAliveTimeout: 10 })
  const giveUpAt = performance.now() + START_TIMEOUT_MS
  try {
    while (performance.now() < giveUpAt) {
      const res = await request(`${url}/health/ready`, { dispatcher }).catch(() => undefined)
      await res?.body.dump()
      if (res?.statusCode === 200) return true
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS))
    }
    return false
  } finally {
    await dispatcher.close()
  }
}

/** Forks `bench/servers/<script>.ts` for a one-shot job and resolves with the one message it sends before exiting. */
export async function runBenchScript<T> (name: string, script: string, env: Record<string, string>): Promise<T> {
  const child = fork(`${repoRoot}bench/servers/${script}.ts`, [], {
    cwd: repoRoot,
    execArgv: ['--import=tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc']
  })
  const { exited, stop, failure } = track(name, child)
  const answered = new Promise<T>((resolve, reject) => {
    child.once('message', (message: T) => resolve(message))
    exited.then(() => reject(failure('exited without an answer')), reject)
  })
  try {
    return await deadline(answered, () => failure(`did not answer within ${START_TIMEOUT_MS} ms`))
  } finally {
    await stop()
  }
}
