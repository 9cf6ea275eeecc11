import { createPrivateKey, generateKeyPairSync } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { selfSignedCertificate } from '@entra-s2s/shared'

/** An RSA key with its self-signed certificate, as PEM strings. */
export async function rsaCertificate (commonName = 'client-api test') {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const certificate = await selfSignedCertificate(keys, commonName)
  return { key: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), cert: certificate.pem }
}

/** The same key encrypted with `password` (PKCS#8, AES-256). */
export const encryptedKey = (keyPem: string, password: string): string =>
  createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: password }).toString()

/** A temporary directory removed in teardown, with a helper to write files into it. */
export async function tempFiles (t: { teardown: (fn: () => unknown) => void }) {
  const dir = await mkdtemp(join(tmpdir(), 'client-api-test-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return async (name: string, content: string): Promise<string> => {
    const path = join(dir, name)
    await writeFile(path, content)
    return path
  }
}
