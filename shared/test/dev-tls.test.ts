import { X509Certificate } from 'node:crypto'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { defaultTlsDir, ensureDevTls } from '../src/dev-tls.js'

const tempDir = async (t: { teardown: (fn: () => unknown) => void }) => {
  const dir = await mkdtemp(join(tmpdir(), 'dev-tls-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}
const certOf = (pem: string) => new X509Certificate(pem)

t.test('first use creates a CA and a server certificate for localhost, 127.0.0.1 and ::1; keys are 0600', async (t) => {
  const dir = await tempDir(t)
  const tls = await ensureDevTls(join(dir, 'nested'))
  t.equal(tls.caPath, join(dir, 'nested', 'ca.pem'))
  t.equal(await readFile(tls.caPath, 'utf8'), tls.ca)
  const ca = certOf(tls.ca)
  const server = certOf(tls.cert)
  t.ok(ca.ca, 'CA certificate')
  t.ok(server.checkIssued(ca) && server.verify(ca.publicKey), 'server certificate issued by the CA')
  t.equal(server.checkHost('localhost'), 'localhost')
  t.equal(server.checkIP('127.0.0.1'), '127.0.0.1')
  t.equal(server.checkIP('::1'), '::1')
  t.equal(server.checkHost('example.com'), undefined)
  t.match(tls.key, /^-----BEGIN PRIVATE KEY-----/)
  for (const file of ['ca-key.pem', 'server.pem']) t.equal((await stat(join(dir, 'nested', file))).mode & 0o777, 0o600, `${file} is 0600`)
})

t.test('later uses reuse the files; a missing host re-issues the server certificate from the same CA', async (t) => {
  const dir = await tempDir(t)
  const first = await ensureDevTls(dir)
  const again = await ensureDevTls(dir, ['localhost'])
  t.equal(again.cert, first.cert, 'reused')
  t.equal(again.key, first.key)
  const wider = await ensureDevTls(dir, ['entra-emulator', '[fd00::1]'])
  t.not(wider.cert, first.cert, 're-issued')
  t.equal(wider.ca, first.ca, 'same CA')
  const server = certOf(wider.cert)
  t.equal(server.checkHost('entra-emulator'), 'entra-emulator')
  t.equal(server.checkIP('fd00::1'), 'fd00::1')
  t.ok(server.verify(certOf(first.ca).publicKey))
  t.equal((await ensureDevTls(dir, ['entra-emulator'])).cert, wider.cert, 'reused once it has the host')
  const more = certOf((await ensureDevTls(dir, ['other.test'])).cert)
  t.equal(more.checkHost('other.test'), 'other.test')
  t.equal(more.checkHost('entra-emulator'), 'entra-emulator', 'hosts of the previous certificate are kept')
})

t.test('concurrent first uses agree on one CA and one server certificate', async (t) => {
  const dir = await tempDir(t)
  const results = await Promise.all(Array.from({ length: 4 }, () => ensureDevTls(dir)))
  t.equal(new Set(results.map((r) => r.ca)).size, 1, 'one CA')
  t.equal(new Set(results.map((r) => r.cert)).size, 1, 'one server certificate')
  t.equal(await readFile(join(dir, 'ca.pem'), 'utf8'), results[0]!.ca)
})

t.test('a damaged server file is replaced', async (t) => {
  const dir = await tempDir(t)
  const first = await ensureDevTls(dir)
  const { writeFile } = await import('node:fs/promises')
  await writeFile(join(dir, 'server.pem'), 'garbage')
  const repaired = await ensureDevTls(dir)
  t.equal(repaired.ca, first.ca)
  t.ok(certOf(repaired.cert).verify(certOf(first.ca).publicKey))
})

t.test('the default directory is .certs at the repository root', async (t) => {
  t.match(defaultTlsDir, /[/\\]\.certs[/\\]$/)
  t.notMatch(defaultTlsDir, /shared/)
})

t.test('processes starting at once agree on one CA and one server certificate', async (t) => {
  const dir = await tempDir(t)
  const { spawn } = await import('node:child_process')
  const module = new URL('../dist/dev-tls.js', import.meta.url).href
  const script = `const { ensureDevTls } = await import(${JSON.stringify(module)}); const tls = await ensureDevTls(${JSON.stringify(dir)}); process.stdout.write(JSON.stringify([tls.ca, tls.cert]))`
  const run = () => new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => { out += chunk })
    child.on('error', reject)
    child.on('exit', (code) => code === 0 ? resolve(out) : reject(new Error(`exit ${code}`)))
  })
  const outputs = await Promise.all([run(), run(), run()])
  t.equal(new Set(outputs).size, 1, 'all three got the same CA and server certificate')
  const [ca] = JSON.parse(outputs[0]!) as [string, string]
  t.equal(await readFile(join(dir, 'ca.pem'), 'utf8'), ca)
})
