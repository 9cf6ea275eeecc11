// Regenerates the DEMO-ONLY client certificate: `npx tsx services/entra-emulator/demo/make-client-cert.ts`
// (after `npx tsc -b shared`). It writes a new RSA-2048 key and a 10-year self-signed certificate to
// client-app.pem; the registrations file names it, so nothing else needs changing.
import { webcrypto } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { privateKeyPem, selfSignedCertificate } from '@entra-s2s/shared'

const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const
const target = new URL('client-app.pem', import.meta.url)

const keys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair
const cert = await selfSignedCertificate(keys, 'entra-s2s demo client', { validityDays: 3650 })
const notice = [
  'DEMO ONLY: the client certificate of the entra-s2s demo client app (3f6e7393-8081-49b4-b995-442cc17f830a).',
  'This private key is public. It is trusted by nothing but the local entra-emulator; never register it in a real tenant.',
  'Regenerate with: npx tsx services/entra-emulator/demo/make-client-cert.ts',
  ''
].join('\n')
await writeFile(target, notice + await privateKeyPem(keys.privateKey) + cert.pem)
process.stdout.write(`wrote ${target.pathname}\n`)
