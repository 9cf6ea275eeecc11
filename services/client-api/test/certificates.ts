import { createPrivateKey, webcrypto } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { privateKeyPem, selfSignedCertificate } from '@entra-s2s/shared'

const rsa = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const

/** An RSA key with its self-signed certificate, as PEM strings. */
export async function rsaCertificate (commonName = 'client-api test') {
  const keys = await webcrypto.subtle.generateKey(rsa, true, ['sign', 'verify'])
  const certificate = await selfSignedCertificate(keys, commonName)
  return { key: await privateKeyPem(keys.privateKey), cert: certificate.pem }
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
