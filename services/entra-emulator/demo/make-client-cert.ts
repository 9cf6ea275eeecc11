// Regenerates the DEMO-ONLY client certificate: `npx tsc -b shared && npx tsx services/entra-emulator/demo/make-client-cert.ts`.
// It writes a new RSA-2048 key and a 10-year self-signed certificate to client-app.pem; the registrations file
// names that file, so nothing else needs changing.
import { generateKeyPairSync } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { selfSignedCertificate } from '@entra-s2s/shared'

const target = new URL('client-app.pem', import.meta.url)
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 })
const cert = selfSignedCertificate(keys, 'entra-s2s demo client', { validityDays: 3650 })
const notice = [
  'DEMO ONLY: the client certificate of the entra-s2s demo client app (3f6e7393-8081-49b4-b995-442cc17f830a).',
  'This private key is public. It is trusted by nothing but the local entra-emulator; never register it in a real tenant.',
  'Regenerate with: npx tsc -b shared && npx tsx services/entra-emulator/demo/make-client-cert.ts',
  ''
].join('\n')
await writeFile(target, notice + keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() + cert.pem)
process.stdout.write(`wrote ${target.pathname}\n`)
