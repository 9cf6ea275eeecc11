import { X509Certificate, createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { createDirectory, type ClientCertificate, type Directory } from './directory.js'
import { RegistrationsError, parseRegistrations } from './registrations.js'

/** Reads, validates and indexes a registrations file, loading each certificate it names (the certificate only). */
export async function loadRegistrations (file: string): Promise<Directory> {
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(file, 'utf8'))
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `not readable JSON (${(err as Error).message})`
    throw new RegistrationsError('$', reason)
  }
  const registrations = parseRegistrations(raw)
  const certificates = new Map<string, ClientCertificate>()
  const base = dirname(file)
  for (const app of registrations.tenants.flatMap((t) => t.applications)) {
    for (const credential of app.keyCredentials) {
      certificates.set(credential.at, await readCertificate(resolve(base, credential.certificatePath), credential.keyId, credential.at))
    }
  }
  return createDirectory(registrations, certificates)
}

/** Thumbprints and public key of a PEM certificate; a private key in the same file is ignored. */
export function certificateFromPem (pem: string, keyId: string): ClientCertificate {
  const block = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/.exec(pem)
  if (!block) throw new Error('holds no PEM certificate')
  const cert = new X509Certificate(block[0])
  return {
    keyId,
    x5t: createHash('sha1').update(cert.raw).digest('base64url'),
    x5tS256: createHash('sha256').update(cert.raw).digest('base64url'),
    publicKey: cert.publicKey
  }
}

async function readCertificate (path: string, keyId: string, at: string): Promise<ClientCertificate> {
  let pem: string
  try {
    pem = await readFile(path, 'utf8')
  } catch {
    throw new RegistrationsError(at, `cannot read ${path}`)
  }
  try {
    return certificateFromPem(pem, keyId)
  } catch (err) {
    throw new RegistrationsError(at, `${path} ${(err as Error).message}`)
  }
}
