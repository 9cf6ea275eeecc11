import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { get as httpGet } from 'node:http'
import { get as httpsGet } from 'node:https'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { repoRoot } from './demo-settings.js'

const LISTEN_TIMEOUT_MS = 30_000
const READY_TIMEOUT_MS = 30_000
const POLL_INTERVAL_MS = 100
const PROBE_TIMEOUT_MS = 2_000

/** A service failed to start; the message is one line naming it. */
export class StartError extends Error {}

/**
 * Runs `node services/<name>/dist/server.js` with `env`, handing every output line to `onLine`.
 * The child gets its own process group: a terminal's Ctrl-C then reaches only the runner, which sends
 * each service exactly one SIGTERM (close-with-grace exits 1 on a second signal).
 */
export function spawnService (name, env, onLine) {
  const child = spawn(process.execPath, [join(repoRoot, 'services', name, 'dist/server.js')], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true
  })
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }))
  let announce
  const listening = new Promise((resolve) => { announce = resolve })
  createInterface({ input: child.stdout }).on('line', (line) => {
    onLine(name, line)
    const url = listeningUrl(line)
    if (url) announce(url)
  })
  createInterface({ input: child.stderr }).on('line', (line) => onLine(name, line))
  return {
    name,
    pid: child.pid,
    listening,
    exited,
    get running () { return child.exitCode === null && child.signalCode === null },
    stop (signal = 'SIGTERM') {
      if (this.running) child.kill(signal)
      return exited
    }
  }
}

function listeningUrl (line) {
  if (!line.includes('"listening"')) return undefined
  try {
    const entry = JSON.parse(line)
    return entry.msg === 'listening' && typeof entry.url === 'string' ? entry.url : undefined
  } catch {
    return undefined
  }
}

/** Resolves with the service's URL once it logs `listening` and answers 200 on /health/ready (https: trusting `caPath`). */
export async function waitUntilReady (service, caPath) {
  const gone = service.exited.then(({ code, signal }) => {
    throw new StartError(`${service.name} stopped before it was ready (${signal ?? `exit code ${code}`}); see its output above`)
  })
  const url = await Promise.race([service.listening, gone, deadline(LISTEN_TIMEOUT_MS, `${service.name} did not start listening`)])
  const until = Date.now() + READY_TIMEOUT_MS
  while (Date.now() < until) {
    const status = await Promise.race([probe(`${url}/health/ready`, caPath), gone])
    if (status === 200) return url
    await sleep(POLL_INTERVAL_MS)
  }
  throw new StartError(`${service.name} listened on ${url} but /health/ready did not answer 200 within ${READY_TIMEOUT_MS / 1000} s`)
}

async function deadline (ms, what) {
  await sleep(ms, undefined, { ref: false })
  throw new StartError(`${what} within ${ms / 1000} s`)
}

/** GETs `url` and resolves with its status, or 0 when it cannot connect. For https it trusts the CA in `caPath`. */
export async function probe (url, caPath) {
  const https = url.startsWith('https:')
  const get = https ? httpsGet : httpGet
  // The emulator writes its dev CA on first start: until then there is nothing to trust, so not ready.
  const ca = https ? await readFile(caPath).catch(() => undefined) : undefined
  if (https && !ca) return 0
  return new Promise((resolve) => {
    const req = get(url, { ca, agent: false, timeout: PROBE_TIMEOUT_MS }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(0))
  })
}

/** Resolves with undefined when `port` can be bound on `host`, otherwise with the error code (EADDRINUSE, EACCES…). */
export function portProblem (port, host) {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', (err) => resolve(err.code ?? 'EUNKNOWN'))
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(undefined)))
  })
}
