import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { ensureDevTls } from '@entra-s2s/shared'
import { repoRoot } from '../helpers/start-service.js'

// The container HEALTHCHECK script, run as Docker runs it: `node scripts/healthcheck.js [https]` with the container's env.
const script = join(repoRoot, 'scripts/healthcheck.js')

function healthcheck (env: Record<string, string>, args: string[] = []): Promise<{ code: number, stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 10_000 }, (err, _stdout, stderr) => {
      resolve({ code: err ? Number(err.code ?? -1) : 0, stderr })
    })
  })
}

async function listen (t: { teardown: (fn: () => unknown) => void }, server: Server): Promise<string> {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  return String((server.address() as AddressInfo).port)
}

t.test('http: exit 0 only while /health/ready answers 200', async (t) => {
  let status = 503
  const paths: string[] = []
  const port = await listen(t, createServer((req, res) => {
    paths.push(req.url ?? '')
    res.writeHead(status).end()
  }))
  t.equal((await healthcheck({ PORT: port })).code, 1, '503 → unhealthy')
  status = 200
  t.equal((await healthcheck({ PORT: port })).code, 0, '200 → healthy')
  t.same(paths, ['/health/ready', '/health/ready'])
})

t.test('http: nothing listening or no PORT → unhealthy, with a reason', async (t) => {
  const closed = createServer()
  const port = await listen(t, closed)
  await new Promise((resolve) => closed.close(resolve))
  const refused = await healthcheck({ PORT: port })
  t.equal(refused.code, 1)
  t.match(refused.stderr, /^healthcheck: .*ECONNREFUSED/)
  const unset = await healthcheck({})
  t.equal(unset.code, 1)
  t.equal(unset.stderr, 'healthcheck: PORT is not set\n')
})

t.test('https: trusts the dev CA in EMULATOR_TLS_DIR, and only that CA', async (t) => {
  const dirs = await Promise.all([mkdtemp(join(tmpdir(), 'hc-ca-')), mkdtemp(join(tmpdir(), 'hc-other-'))])
  t.teardown(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))))
  const [own, other] = dirs as [string, string]
  const tls = await ensureDevTls(own)
  await ensureDevTls(other)
  const port = await listen(t, createHttpsServer({ key: tls.key, cert: tls.cert }, (_req, res) => res.writeHead(200).end()))
  t.equal((await healthcheck({ PORT: port, EMULATOR_TLS_DIR: own }, ['https'])).code, 0, 'trusted CA → healthy')
  const untrusted = await healthcheck({ PORT: port, EMULATOR_TLS_DIR: other }, ['https'])
  t.equal(untrusted.code, 1, 'another CA → unhealthy')
  t.match(untrusted.stderr, /certificate/i)
})
