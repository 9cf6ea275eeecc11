import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { loadConfig, type Config } from '../src/config.js'
import type { AcquiredToken, TokenAcquirer } from '../src/token-provider.js'

type Teardown = { teardown: (fn: () => unknown) => void }

export const SCOPE = 'api://63f3823d-1481-4d2c-b93c-c86eec1bd969/.default'
export const SECRET = 'demo-only~client-api-app-test-secret'

/** The resource API's answer to one request; `undefined` leaves the request hanging. */
export type Answer = (headers: IncomingHttpHeaders, res: ServerResponse) => void

export const forecastBody = {
  forecast: [{ date: '2026-01-01', temperatureC: 4, summary: 'Chilly', accessToken: 'must-not-leak' }],
  caller: { appId: '3f6e7393-8081-49b4-b995-442cc17f830a', tenantId: 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161', roles: ['Forecast.Read'] },
  internal: 'dropped'
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => (_h, res) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
}

/** An in-process stand-in for the resource API on an ephemeral loopback port: answers from a queue, records requests. */
export async function resourceStandIn (t: Teardown, answers: Answer[]) {
  const requests: Array<{ url: string | undefined, headers: IncomingHttpHeaders }> = []
  const server = createServer((req, res) => {
    requests.push({ url: req.url, headers: req.headers })
    const answer = answers.length > 1 ? answers.shift() : answers[0]
    answer?.(req.headers, res)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server }
}

/** A fake acquirer issuing token-1, token-2, … or failing with `fail()`'s error; records its calls. */
export function fakeAcquirer (fail?: () => unknown) {
  const calls: Array<{ scope: string, forceRefresh: boolean }> = []
  const acquire: TokenAcquirer = async (scope, { forceRefresh }) => {
    calls.push({ scope, forceRefresh })
    if (fail) throw fail()
    return { accessToken: `token-${calls.length}`, expiresOn: Date.now() + 3_600_000 } satisfies AcquiredToken
  }
  return { acquire, calls }
}

export const testConfig = (resourceUrl: string, env: NodeJS.ProcessEnv = {}): Config => loadConfig({
  AZURE_TENANT_ID: 'e8fa9f70-ffd2-4739-a8a2-f5af62d14161',
  AZURE_CLIENT_ID: '3f6e7393-8081-49b4-b995-442cc17f830a',
  AZURE_CLIENT_SECRET: SECRET,
  RESOURCE_API_URL: resourceUrl,
  RESOURCE_API_SCOPE: SCOPE,
  LOG_LEVEL: 'silent',
  ...env
})
