#!/usr/bin/env node
// Container HEALTHCHECK (the slim images have no curl): exit 0 when this container's service answers 200 on
// GET /health/ready. Usage: node scripts/healthcheck.js [https]. With https it trusts only the emulator's dev CA
// ($EMULATOR_TLS_DIR/ca.pem), which names 127.0.0.1 in the server certificate.
import { readFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { join } from 'node:path'

const TIMEOUT_MS = 2_000
const https = process.argv[2] === 'https'
const port = process.env.PORT
if (!port) {
  process.stderr.write('healthcheck: PORT is not set\n')
  process.exit(1)
}
const request = https ? httpsRequest : httpRequest
const ca = https ? readFileSync(join(process.env.EMULATOR_TLS_DIR ?? '/certs', 'ca.pem')) : undefined

const req = request({ host: '127.0.0.1', port, path: '/health/ready', ca, timeout: TIMEOUT_MS }, (res) => {
  res.resume()
  process.exitCode = res.statusCode === 200 ? 0 : 1
})
req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)))
req.on('error', (err) => {
  process.stderr.write(`healthcheck: ${err.message}\n`)
  process.exitCode = 1
})
req.end()
