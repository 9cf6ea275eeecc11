import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'
import { createInterface } from 'node:readline'
import { request } from 'undici'
import t from 'tap'
import { repoRoot } from '../helpers/start-service.js'

// The demo the README way: `npm start` as a child process, on free ports (0), so it never needs 3000/3001/8443.
const READY_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 20_000
const daemonId = '3f6e7393-8081-49b4-b995-442cc17f830a'
const freePorts = { CLIENT_PORT: '0', RESOURCE_PORT: '0', EMULATOR_PORT: '0' }

interface Demo {
  readonly stdout: string[]
  readonly stderr: string[]
  readonly pid: number
  /** Resolves with the exit code once the process has exited and its output has been read to the end. */
  readonly exited: Promise<number | null>
  /** Resolves with the first stdout line matching `pattern`. */
  waitFor: (pattern: RegExp) => Promise<string>
  kill: (signal: NodeJS.Signals) => void
}

function runDemo (t: { teardown: (fn: () => unknown) => void }, command: string[], env: Record<string, string>): Demo {
  const [file = '', ...args] = command
  const child = spawn(file, args, {
    cwd: repoRoot,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const stdout: string[] = []
  const stderr: string[] = []
  const waiters: { pattern: RegExp, resolve: (line: string) => void }[] = []
  const lines = createInterface({ input: child.stdout }).on('line', (line) => {
    stdout.push(line)
    for (const waiter of waiters.filter((w) => w.pattern.test(line))) waiter.resolve(line)
  })
  // Output ends when every writer is gone: the child and anything it started on the same pipe.
  const ended = once(lines, 'close')
  const errors = createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line))
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  const finished = Promise.all([exited, ended, once(errors, 'close')]).then(([code]) => code)
  // SIGTERM first: the runner then stops its services (they run in their own process groups); SIGKILL if it hangs.
  t.teardown(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
    await exited
    clearTimeout(timer)
  })
  return {
    stdout,
    stderr,
    pid: child.pid!,
    exited: finished,
    kill: (signal) => child.kill(signal),
    waitFor: (pattern) => {
      const seen = stdout.find((line) => pattern.test(line))
      if (seen) return Promise.resolve(seen)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${READY_TIMEOUT_MS} ms:\n${stdout.join('\n')}\n${stderr.join('\n')}`)), READY_TIMEOUT_MS)
        waiters.push({ pattern, resolve: (line) => { clearTimeout(timer); resolve(line) } })
        ended.then(() => { clearTimeout(timer); reject(new Error(`output ended before ${pattern}:\n${stdout.join('\n')}\n${stderr.join('\n')}`)) })
      })
    }
  }
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false
    throw err
  }
}

// `npm start:   client-api     http://localhost:41234        pid 4321`
function readyServices (stdout: string[]): Map<string, { url: string, pid: number }> {
  const services = new Map<string, { url: string, pid: number }>()
  for (const line of stdout) {
    const match = /^npm start: {3}(\S+)\s+(\S+)\s+pid (\d+)$/.exec(line)
    if (match) services.set(match[1]!, { url: match[2]!, pid: Number(match[3]) })
  }
  return services
}

t.test('npm start: ready, GET / serves the forecast, SIGTERM stops all three', async (t) => {
  const demo = runDemo(t, ['npm', 'start'], freePorts)
  await demo.waitFor(/^npm start: ready in \d+\.\d s$/)
  // The service lines and the commands to try follow the ready line; this one is the last.
  await demo.waitFor(/Ctrl-C stops all three\.$/)
  const services = readyServices(demo.stdout)
  t.same([...services.keys()], ['entra-emulator', 'resource-api', 'client-api'])
  const client = services.get('client-api')!
  const resource = services.get('resource-api')!
  t.match(services.get('entra-emulator')?.url, /^https:\/\/localhost:\d+$/)
  t.match(resource.url, /^http:\/\/localhost:\d+$/)
  t.ok(demo.stdout.includes(`  curl -s ${client.url}/`), 'prints the command to try, with the real URL')

  const res = await request(`${client.url}/`)
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  const text = await res.body.text()
  t.notMatch(text, /eyJ[\w-]+\.[\w-]+\./, 'no raw token in the body')
  const body = JSON.parse(text) as { forecast: unknown[], caller: { appId: string, roles: string[] }, token: { scope: string, source: string } }
  t.ok(body.forecast.length > 0, 'a forecast')
  t.equal(body.caller.appId, daemonId)
  t.same(body.caller.roles, ['Forecast.Read'])
  t.equal(body.token.scope, 'api://63f3823d-1481-4d2c-b93c-c86eec1bd969/.default')
  t.match(body.token.source, /^(cache|fresh)$/)

  const anonymous = await request(`${resource.url}/api/forecast`)
  t.equal(anonymous.statusCode, 401, 'the resource API refuses a call without a token')
  t.match(anonymous.headers['www-authenticate'], /^Bearer/)
  await anonymous.body.dump()

  t.ok(demo.stdout.some((line) => /^\d\d:\d\d:\d\d\.\d{3} entra-emulator +info +listening url=https:/.test(line)), 'service logs are prefixed and readable')

  demo.kill('SIGTERM')
  t.equal(await demo.exited, 0, 'a clean stop exits 0')
  t.equal(demo.stdout.at(-1), 'npm start: stopped')
  for (const [name, { pid }] of services) t.notOk(isRunning(pid), `${name} (pid ${pid}) has exited`)
})

t.test('DEMO_CLIENT switches who client-api signs in as', async (t) => {
  const cases = [
    { client: 'certificate', status: 200, code: undefined },
    { client: 'unprivileged', status: 502, code: 'downstream_forbidden' }
  ]
  for (const { client, status, code } of cases) {
    const demo = runDemo(t, [process.execPath, 'scripts/start.js'], { ...freePorts, DEMO_CLIENT: client })
    await demo.waitFor(/Ctrl-C stops all three\.$/)
    const res = await request(`${readyServices(demo.stdout).get('client-api')!.url}/`)
    const body = await res.body.json() as { code?: string, caller?: { appId: string } }
    t.equal(res.statusCode, status, `${client}: GET / answers ${status}`)
    t.equal(body.code, code)
    if (status === 200) t.equal(body.caller?.appId, daemonId, 'the same app, authenticated with its certificate')
    demo.kill('SIGTERM')
    t.equal(await demo.exited, 0)
  }
})

t.test('if whatever started the runner dies, the runner stops the three services', async (t) => {
  // dash does not exec a lone command: the runner is a child of this shell, which is then killed outright.
  const shell = runDemo(t, ['sh', '-c', `'${process.execPath}' scripts/start.js`], freePorts)
  await shell.waitFor(/Ctrl-C stops all three\.$/)
  const services = readyServices(shell.stdout)
  t.equal(services.size, 3)
  shell.kill('SIGKILL')
  await shell.waitFor(/^npm start: stopped$/)
  t.ok(shell.stdout.includes('npm start: the process that started npm start is gone: stopping'))
  for (const [name, { pid }] of services) t.notOk(isRunning(pid), `${name} (pid ${pid}) has exited`)
})

t.test('a service that fails to start: one line naming it, the others stopped, exit 1', async (t) => {
  // RESOURCE_API_TIMEOUT_MS passes through to client-api, the last to start: the two before it are running then.
  const demo = runDemo(t, [process.execPath, 'scripts/start.js'], { ...freePorts, LOG_FORMAT: 'json', RESOURCE_API_TIMEOUT_MS: 'soon' })
  t.equal(await demo.exited, 1)
  t.same(demo.stderr, ['npm start: client-api stopped before it was ready (exit code 1); see its output above'])
  t.ok(demo.stdout.some((line) => /^client-api +client-api: RESOURCE_API_TIMEOUT_MS is invalid/.test(line)), 'the service\'s own line says why')
  const pids = new Map<string, number>()
  for (const line of demo.stdout) {
    const match = /^(\S+) +\{.*"pid":(\d+)/.exec(line)
    if (match) pids.set(match[1]!, Number(match[2]))
  }
  t.same([...pids.keys()].sort(), ['entra-emulator', 'resource-api'], 'the two services before it had started')
  for (const [name, pid] of pids) t.notOk(isRunning(pid), `${name} (pid ${pid}) was stopped`)
  t.equal(demo.stdout.at(-1), 'npm start: stopped')
})

t.test('a port in use: one line naming the service, the port and the way out; nothing started', async (t) => {
  const holder = createServer()
  holder.listen(0, 'localhost')
  await once(holder, 'listening')
  t.teardown(() => new Promise((resolve) => holder.close(resolve)))
  const port = (holder.address() as AddressInfo).port
  const demo = runDemo(t, [process.execPath, 'scripts/start.js'], { ...freePorts, RESOURCE_PORT: String(port) })
  t.equal(await demo.exited, 1)
  t.same(demo.stderr, [`npm start: resource-api cannot start: port ${port} is already in use. Stop what holds it, or choose another port: RESOURCE_PORT=${port + 100} npm start`])
  t.notOk(demo.stdout.some((line) => line.includes('listening')), 'no service was started')
})

t.test('a wrong runner setting is refused before anything starts', async (t) => {
  const demo = runDemo(t, [process.execPath, 'scripts/start.js'], { ...freePorts, DEMO_CLIENT: 'mallory' })
  t.equal(await demo.exited, 1)
  t.same(demo.stderr, ['npm start: DEMO_CLIENT is invalid: expected one of secret, certificate, unprivileged, other-tenant'])
  t.same(demo.stdout, [])
})
