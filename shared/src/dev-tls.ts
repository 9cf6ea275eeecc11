import { webcrypto, X509Certificate } from 'node:crypto'
import { chmod, mkdir, readFile, rename, rmdir, stat, writeFile } from 'node:fs/promises'
import { isIP } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type * as X509 from '@peculiar/x509'

/** `.certs/` at the repository root, wherever the process was started from. */
export const defaultTlsDir = fileURLToPath(new URL('../../.certs/', import.meta.url))

/** The dev TLS material: the CA to trust, and the key and certificate the HTTPS server presents. */
export interface DevTls {
  /** Path of the CA certificate, for `NODE_EXTRA_CA_CERTS`. */
  readonly caPath: string
  readonly ca: string
  readonly key: string
  readonly cert: string
}

const DAY_MS = 86_400_000
const CA_VALIDITY_DAYS = 3650
const SERVER_VALIDITY_DAYS = 365
const RENEW_BEFORE_MS = 7 * DAY_MS
const LOCK_STALE_MS = 30_000
const LOCK_POLL_MS = 25
const BASE_HOSTS = ['localhost', '127.0.0.1', '::1']
const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' } as const
const ecdsaSha256 = { name: 'ECDSA', hash: 'SHA-256' } as const

const files = (dir: string) => ({
  ca: join(dir, 'ca.pem'),
  caKey: join(dir, 'ca-key.pem'),
  server: join(dir, 'server.pem'),
  lock: join(dir, '.lock')
})

/**
 * Returns the dev CA and a server certificate valid for localhost, 127.0.0.1, ::1 and `extraHosts`.
 * Creates them in `dir` on first use and reuses them afterwards; re-issues the server certificate from the
 * same CA when it lacks a host, expires within a week or was not issued by that CA. Keys are written
 * with mode 0600; every file is written to a temporary name and renamed, under a lock directory, so two
 * processes starting at once agree on one CA.
 */
export async function ensureDevTls (dir: string = defaultTlsDir, extraHosts: readonly string[] = []): Promise<DevTls> {
  const hosts = [...new Set([...BASE_HOSTS, ...extraHosts.map(stripBrackets)])]
  const paths = files(dir)
  const current = await readUsable(paths, hosts)
  if (current) return current
  await mkdir(dir, { recursive: true })
  return withLock(paths.lock, async () => (await readUsable(paths, hosts)) ?? issue(paths, [...new Set([...hosts, ...await previousHosts(paths.server)])]))
}

/** The hosts the current server certificate names, kept on re-issue so two setups sharing a directory don't take turns. */
async function previousHosts (path: string): Promise<string[]> {
  const cert = pemBlock(await readOptional(path) ?? '', 'CERTIFICATE')
  try {
    return cert ? (new X509Certificate(cert).subjectAltName ?? '').split(', ').map((name) => name.replace(/^(DNS|IP Address):/, '')).filter(Boolean) : []
  } catch {
    return []
  }
}

// @peculiar/x509 (and the reflect polyfill it needs) costs ~200 ms to load: only pay it when a certificate is issued.
let x509Module: Promise<typeof X509> | undefined
const loadX509 = () => (x509Module ??= import('reflect-metadata').then(() => import('@peculiar/x509')).then((x509) => {
  x509.cryptoProvider.set(webcrypto)
  return x509
}))

async function privateKeyPem (key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key))
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`
}

async function readUsable (paths: ReturnType<typeof files>, hosts: readonly string[]): Promise<DevTls | undefined> {
  const [ca, server] = await Promise.all([readOptional(paths.ca), readOptional(paths.server)])
  if (!ca || !server) return undefined
  const key = pemBlock(server, 'PRIVATE KEY')
  const cert = pemBlock(server, 'CERTIFICATE')
  if (!key || !cert || !serverCertFits(cert, ca, hosts)) return undefined
  return { caPath: paths.ca, ca, key, cert }
}

function serverCertFits (certPem: string, caPem: string, hosts: readonly string[]): boolean {
  try {
    const cert = new X509Certificate(certPem)
    const ca = new X509Certificate(caPem)
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false
    if (Date.parse(cert.validTo) - Date.now() < RENEW_BEFORE_MS) return false
    return hosts.every((host) => isIP(host) ? cert.checkIP(host) !== undefined : cert.checkHost(host) !== undefined)
  } catch {
    return false
  }
}

async function issue (paths: ReturnType<typeof files>, hosts: readonly string[]): Promise<DevTls> {
  const x509 = await loadX509()
  const ca = await loadOrCreateCa(paths)
  const keys = await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair
  const now = Date.now()
  const cert = await x509.X509CertificateGenerator.create({
    subject: 'CN=entra-s2s dev server',
    issuer: ca.cert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + SERVER_VALIDITY_DAYS * DAY_MS),
    serialNumber: randomSerial(),
    publicKey: keys.publicKey,
    signingKey: ca.key,
    signingAlgorithm: ecdsaSha256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(hosts.map((host) => ({ type: isIP(host) ? 'ip' : 'dns', value: host }))),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert)
    ]
  })
  const key = await privateKeyPem(keys.privateKey)
  const certPem = cert.toString('pem') + '\n'
  await writeAtomic(paths.server, key + certPem, 0o600)
  return { caPath: paths.ca, ca: ca.pem, key, cert: certPem }
}

async function loadOrCreateCa (paths: ReturnType<typeof files>): Promise<{ cert: X509.X509Certificate, key: webcrypto.CryptoKey, pem: string }> {
  const x509 = await loadX509()
  const [pem, keyPem] = await Promise.all([readOptional(paths.ca), readOptional(paths.caKey)])
  if (pem && keyPem) {
    const cert = new x509.X509Certificate(pem)
    if (cert.notAfter.getTime() - Date.now() > RENEW_BEFORE_MS) {
      const key = await webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(keyPem), ecdsa, false, ['sign'])
      return { cert, key, pem }
    }
  }
  const keys = await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair
  const now = Date.now()
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    keys,
    name: `CN=entra-s2s dev CA (local development only) ${now}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + CA_VALIDITY_DAYS * DAY_MS),
    serialNumber: randomSerial(),
    signingAlgorithm: ecdsaSha256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)
    ]
  })
  const certPem = cert.toString('pem') + '\n'
  await writeAtomic(paths.caKey, await privateKeyPem(keys.privateKey), 0o600)
  await writeAtomic(paths.ca, certPem, 0o644)
  return { cert, key: keys.privateKey, pem: certPem }
}

async function withLock<T> (lock: string, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(lock)
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const since = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0)
      // A holder that died leaves the lock behind: take it over once it is clearly stale.
      if (since > LOCK_STALE_MS) await rmdir(lock).catch(() => undefined)
      else await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS))
    }
  }
  try {
    return await work()
  } finally {
    await rmdir(lock).catch(() => undefined)
  }
}

async function writeAtomic (path: string, content: string, mode: number): Promise<void> {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`
  await writeFile(temp, content, { mode })
  await chmod(temp, mode)
  await rename(temp, path)
}

async function readOptional (path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

function pemBlock (pem: string, label: string): string | undefined {
  const match = new RegExp(`-----BEGIN ${label}-----[^-]+-----END ${label}-----`).exec(pem)
  return match ? match[0] + '\n' : undefined
}

const stripBrackets = (host: string) => host.replace(/^\[(.*)\]$/, '$1')

function randomSerial (): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16))
  bytes[0] = (bytes[0] ?? 0) & 0x7f
  return Buffer.from(bytes).toString('hex')
}
