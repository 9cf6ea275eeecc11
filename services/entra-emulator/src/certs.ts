import { resolve } from 'node:path'
import { defaultTlsDir, ensureDevTls } from '@entra-s2s/shared'

// `npm run certs`: creates (or reuses) the dev CA and server certificate, and says where the CA is.
const dir = process.env['EMULATOR_TLS_DIR'] ? resolve(process.env['EMULATOR_TLS_DIR']) : defaultTlsDir
const hosts = process.env['EMULATOR_PUBLIC_URL'] ? [new URL(process.env['EMULATOR_PUBLIC_URL']).hostname] : []
const tls = await ensureDevTls(dir, hosts)
process.stdout.write(`dev CA: ${tls.caPath} (trust it with NODE_EXTRA_CA_CERTS=${tls.caPath})\n`)
