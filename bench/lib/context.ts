import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CompareContext } from './compare.js'
import { CLIENT_APP, RESOURCE_APP_ID, RESOURCE_SCOPE, TENANT_A } from './demo.js'
import { startEmulator, type Emulator } from './emulator.js'
import type { Loader } from './loader.js'
import { startBenchServer, startServiceProcess, type BenchProcess, type TimedService } from './processes.js'
import type { TargetCheck } from './report.js'
import type { BenchSettings } from './settings.js'

/** Everything scenarios share: settings, the load generator, and lazily started processes and tokens. */
export interface BenchContext extends CompareContext {
  readonly checks: TargetCheck[]
  readonly tmpDir: string
  emulator: () => Promise<Emulator>
  /** The resource API from its real entry, trusting the emulator. */
  resourceApi: () => Promise<TimedService>
  /** The client API from its real entry, calling the resource API with the demo client's secret. */
  clientApi: () => Promise<TimedService>
  /** A bench server (`bench/servers/<script>.ts`) with the peer settings in its environment; one process per `instance`. */
  benchServer: (script: string, env?: Record<string, string>, instance?: string) => Promise<BenchProcess>
  /** One valid Forecast.Read token, reused by every request of scenarios 1, 3 and 4. */
  validToken: () => Promise<string>
  /** The long-lived processes started so far (to match `--cpu-prof` files, named by pid). */
  readonly running: Array<{ readonly name: string, readonly pid: number }>
  /** Runs `work` once per context and key; later calls share the result. */
  once: <T>(key: string, work: () => Promise<T>) => Promise<T>
  close: () => Promise<void>
}

export function resourceApiEnv (authorityHost: string): Record<string, string> {
  return { AZURE_TENANT_ID: TENANT_A, AZURE_AUTHORITY_HOST: authorityHost, API_AUDIENCES: `${RESOURCE_APP_ID},api://${RESOURCE_APP_ID}` }
}

export function clientApiEnv (authorityHost: string, resourceApiUrl: string): Record<string, string> {
  return {
    AZURE_TENANT_ID: CLIENT_APP.tenantId,
    AZURE_CLIENT_ID: CLIENT_APP.clientId,
    AZURE_CLIENT_SECRET: CLIENT_APP.secret,
    AZURE_AUTHORITY_HOST: authorityHost,
    RESOURCE_API_URL: resourceApiUrl,
    RESOURCE_API_SCOPE: RESOURCE_SCOPE
  }
}

export function peerEnv (authorityHost: string): Record<string, string> {
  const tenant = `${authorityHost}/${TENANT_A}`
  return {
    BENCH_ISSUER: `${tenant}/v2.0`,
    BENCH_AUDIENCE: RESOURCE_APP_ID,
    BENCH_JWKS_URL: `${tenant}/discovery/v2.0/keys`,
    BENCH_METADATA_URL: `${tenant}/v2.0/.well-known/openid-configuration`
  }
}

/**
 * `profileDir`: the long-lived services and bench servers run with `--cpu-prof` and write their profiles there on exit
 * (summarise one with `node --import=tsx bench/profile-summary.ts <file>`).
 */
export async function createContext (settings: BenchSettings, loader: Loader, profileDir?: string): Promise<BenchContext> {
  const tmpDir = await mkdtemp(join(tmpdir(), 'entra-s2s-bench-'))
  const memo = new Map<string, Promise<unknown>>()
  const stoppers: Array<() => Promise<void>> = []
  const running: Array<{ name: string, pid: number }> = []

  const once = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    let result = memo.get(key) as Promise<T> | undefined
    if (!result) {
      result = work()
      memo.set(key, result)
    }
    return result
  }
  const started = <T extends { name: string, pid: number, stop: () => Promise<void> }>(process: T): T => {
    running.push({ name: process.name, pid: process.pid })
    stoppers.push(() => process.stop())
    return process
  }

  const emulator = () => once('emulator', async () => {
    const emu = await startEmulator()
    stoppers.push(() => emu.close())
    return emu
  })
  const nodeArgs = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]
  const resourceApi = () => once('resource-api', async () =>
    started(await startServiceProcess('resource-api', resourceApiEnv((await emulator()).url), { nodeArgs })))
  const clientApi = () => once('client-api', async () => {
    const [emu, resource] = await Promise.all([emulator(), resourceApi()])
    return started(await startServiceProcess('client-api', clientApiEnv(emu.url, resource.url), { nodeArgs }))
  })
  const benchServer = (script: string, env: Record<string, string> = {}, instance = script) => once(`bench:${instance}`, async () =>
    started(await startBenchServer(instance, script, { ...peerEnv((await emulator()).url), ...env }, nodeArgs)))
  const validToken = () => once('valid-token', async () => (await emulator()).token(CLIENT_APP))

  return {
    loader,
    settings,
    warmed: new Set(),
    checks: [],
    tmpDir,
    emulator,
    resourceApi,
    clientApi,
    benchServer,
    validToken,
    running,
    once,
    async close () {
      // Clients before the services they call, the emulator last.
      for (const stop of stoppers.reverse()) await stop().catch(() => {})
      await rm(tmpDir, { recursive: true, force: true })
    }
  }
}
