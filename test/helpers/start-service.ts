import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'
import { onExit } from 'signal-exit'
import { request, Agent } from 'undici'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

/** The dev CA every test process and child trusts (created by `npm run certs` before tap starts). */
export const devCaPath = `${repoRoot}.certs/ca.pem`

/** A service started as a real process from its built entry. */
export interface RunningService {
  /** Base URL read from the service's `listening` log line. */
  readonly url: string
  /** Every stdout and stderr line so far (pino JSON for the services). */
  readonly output: string[]
  readonly pid: number
  /** Sends `signal` and resolves with the exit code once the process is gone. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>
  /** Resolves once the process has exited. */
  readonly exited: Promise<number | null>
}

interface Teardown { teardown: (fn: () => unknown) => void }

const START_TIMEOUT_MS = 15_000
const READY_TIMEOUT_MS = 15_000

/**
 * Starts `node services/<name>/dist/server.js` with PORT=0 and `env`, waits for its `listening` line,
 * then (unless `waitReady` is false) for `GET /health/ready` to answer 200. The process is killed in teardown.
 */
export async function startService (t: Teardown, name: string, env: Record<string, string>, options: { waitReady?: boolean } = {}): Promise<RunningService> {
  const child = spawn(process.execPath, [`${repoRoot}services/${name}/dist/server.js`], {
    cwd: repoRoot,
    env: { PATH: process.env['PATH'] ?? '', NODE_EXTRA_CA_CERTS: devCaPath, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const output: string[] = []
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    return exited
  }
  // Teardown does not run when tap kills a timed-out test: take the child down with this process all the same.
  const forget = onExit(() => { child.kill('SIGKILL') })
  exited.then(forget)
  t.teardown(() => stop('SIGKILL'))

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not log 'listening' within ${START_TIMEOUT_MS} ms:\n${output.join('\n')}`)), START_TIMEOUT_MS)
    const onLine = (line: string) => {
      output.push(line)
      if (!line.startsWith('{')) return
      const entry = JSON.parse(line) as { msg?: string, url?: string }
      if (entry.msg === 'listening' && entry.url) {
        clearTimeout(timer)
        resolve(entry.url)
      }
    }
    createInterface({ input: child.stdout }).on('line', onLine)
    createInterface({ input: child.stderr }).on('line', (line) => output.push(line))
    exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited with ${code} before listening:\n${output.join('\n')}`))
    })
  })
  const service = { url, output, pid: child.pid!, stop, exited }
  if (options.waitReady !== false) await waitUntilReady(service, name)
  return service
}

async function waitUntilReady (service: RunningService, name: string): Promise<void> {
  const dispatcher = new Agent({ keepAliveTimeout: 10 })
  try {
    const deadline = Date.now() + READY_TIMEOUT_MS
    while (Date.now() < deadline) {
      const res = await request(`${service.url}/health/ready`, { dispatcher }).catch(() => undefined)
      await res?.body.dump()
      if (res?.statusCode === 200) return
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(`${name} was not ready within ${READY_TIMEOUT_MS} ms:\n${service.output.join('\n')}`)
  } finally {
    await dispatcher.close()
  }
}
