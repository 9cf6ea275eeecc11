#!/usr/bin/env node
// `npm start`: build if needed, run entra-emulator, resource-api and client-api wired to each other with the
// demo registrations, wait until all three are ready, print what to try, stop all three on Ctrl-C or SIGTERM.
// Settings: EMULATOR_PORT (8443), RESOURCE_PORT (3001), CLIENT_PORT (3000), 0 = any free port; DEMO_CLIENT
// (secret | certificate | unprivileged | other-tenant); LOG_FORMAT=json for raw pino lines; HOST, LOG_LEVEL and
// the services' non-identity settings pass through.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { DemoSettingsError, readDemoSettings, repoRoot, serviceEnv, tryItText } from './lib/demo-settings.js'
import { createLogPrinter } from './lib/log-format.js'
import { StartError, portProblem, spawnService, waitUntilReady } from './lib/processes.js'

const ORDER = ['entra-emulator', 'resource-api', 'client-api']
const STOP_TIMEOUT_MS = 15_000
const PARENT_CHECK_MS = 1_000
const startedAt = performance.now()
const say = (line) => process.stdout.write(`npm start: ${line}\n`)
const fail = (line) => {
  process.stderr.write(`npm start: ${line}\n`)
  process.exitCode = 1
}

const services = []
let stopping

async function main () {
  const settings = readDemoSettings(process.env)
  build()
  await checkPorts(settings)
  const print = createLogPrinter({
    names: ORDER,
    color: process.stdout.isTTY && !process.env.NO_COLOR,
    json: process.env.LOG_FORMAT === 'json'
  })
  const urls = {}
  for (const name of ORDER) {
    if (stopping) return
    const service = spawnService(name, serviceEnv[name](process.env, settings, urls), print)
    services.push(service)
    urls[name] = await waitUntilReady(service, join(settings.tlsDir, 'ca.pem'))
    watch(service)
  }
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1)
  say(`ready in ${seconds} s`)
  for (const service of services) say(`  ${service.name.padEnd(14)} ${urls[service.name].padEnd(26)} pid ${service.pid}`)
  process.stdout.write(`\n${tryItText(settings, urls)}\n\n`)
}

function build () {
  const require = createRequire(import.meta.url)
  let tsc
  try {
    tsc = require.resolve('typescript/bin/tsc')
  } catch {
    throw new StartError('dependencies are not installed: run npm ci first')
  }
  const started = performance.now()
  say('building (tsc -b, incremental)')
  const result = spawnSync(process.execPath, [tsc, '-b'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] })
  if (result.signal) throw new StartError(`the build was stopped (${result.signal})`)
  if (result.status !== 0) throw new StartError(`the build failed (tsc -b, exit code ${result.status}); see above`)
  say(`build done in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

async function checkPorts (settings) {
  for (const name of ORDER) {
    const port = settings.ports[name]
    if (port === 0) continue
    const problem = await portProblem(port, settings.host)
    const variable = settings.portVariables[name]
    if (problem === 'EADDRINUSE') throw new StartError(`${name} cannot start: port ${port} is already in use. Stop what holds it, or choose another port: ${variable}=${port + 100} npm start`)
    if (problem) throw new StartError(`${name} cannot listen on ${settings.host}:${port} (${problem}): check ${variable} and HOST`)
  }
}

function watch (service) {
  service.exited.then(({ code, signal }) => {
    if (stopping) return
    fail(`${service.name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping the others`)
    stop()
  })
}

function stop () {
  stopping ??= (async () => {
    const running = services.filter((service) => service.running)
    const results = await Promise.all(running.map(async (service) => {
      const timer = setTimeout(() => service.stop('SIGKILL'), STOP_TIMEOUT_MS)
      const { code, signal } = await service.stop('SIGTERM')
      clearTimeout(timer)
      // Killed by our SIGTERM before it could install its handler (still starting): stopped as asked.
      return code === 0 || signal === 'SIGTERM' ? [] : [`${service.name} (${signal ?? `exit code ${code}`})`]
    }))
    const unclean = results.flat()
    if (unclean.length > 0) fail(`did not stop cleanly: ${unclean.join(', ')}`)
    if (running.length > 0) say('stopped')
  })()
  return stopping
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (!stopping) say(`${signal}: stopping ${services.filter((s) => s.running).map((s) => s.name).join(', ') || 'nothing yet'}`)
    stop()
  })
}
// The services run in their own process groups, so nothing else ends them if the runner or its parent dies.
process.on('exit', () => services.forEach((service) => service.running && service.stop('SIGKILL')))
const parent = process.ppid
setInterval(() => {
  if (process.ppid === parent || stopping) return
  say('the process that started npm start is gone: stopping')
  stop()
}, PARENT_CHECK_MS).unref()

try {
  await main()
} catch (err) {
  if (!(err instanceof StartError || err instanceof DemoSettingsError)) throw err
  // A stop asked for during start-up ends the starting service too: that is not a failure to report.
  if (!stopping) fail(err.message)
  await stop()
}
