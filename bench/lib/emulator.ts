import { writeFile } from 'node:fs/promises'
import { Pool } from 'undici'
import { RESOURCE_SCOPE, type DemoClient } from './demo.js'
import { startServiceProcess, type TimedService } from './processes.js'

/** The emulator's request counters (`GET /_emulator/stats`). */
export interface EmulatorStats {
  readonly tokenRequests: number
  readonly tokensIssued: number
  readonly jwksRequests: number
  readonly metadataRequests: number
}

/** The real entra-emulator as a process, with the calls the bench makes to it. */
export interface Emulator {
  readonly service: TimedService
  readonly url: string
  /** One access token for `client`, from the v2 token endpoint. */
  token: (client: DemoClient) => Promise<string>
  /** `count` distinct tokens for `client` (one token request each), written one per line to `file`. */
  mintToFile: (client: DemoClient, count: number, file: string) => Promise<void>
  stats: () => Promise<EmulatorStats>
  resetStats: () => Promise<void>
  close: () => Promise<void>
}

const MINT_CONCURRENCY = 8

export async function startEmulator (env: Record<string, string> = {}): Promise<Emulator> {
  const service = await startServiceProcess('entra-emulator', env)
  const pool = new Pool(service.url, { connections: MINT_CONCURRENCY })

  async function call<T> (method: 'GET' | 'POST' | 'DELETE', path: string, form?: Record<string, string>): Promise<T> {
    const res = await pool.request({
      method,
      path,
      ...(form ? { body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {})
    })
    const text = await res.body.text()
    // Error bodies from the emulator are AADSTS JSON: safe to show, and they never hold the secret.
    if (res.statusCode >= 300) throw new Error(`emulator ${method} ${path} answered ${res.statusCode}: ${text}`)
    return (text ? JSON.parse(text) : undefined) as T
  }

  async function token (client: DemoClient): Promise<string> {
    const body = await call<{ access_token: string }>('POST', `/${client.tenantId}/oauth2/v2.0/token`, {
      grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret, scope: RESOURCE_SCOPE
    })
    return body.access_token
  }

  async function mintToFile (client: DemoClient, count: number, file: string): Promise<void> {
    const tokens: string[] = []
    let next = 0
    await Promise.all(Array.from({ length: MINT_CONCURRENCY }, async () => {
      while (next++ < count) tokens.push(await token(client))
    }))
    await writeFile(file, tokens.join('\n') + '\n', { mode: 0o600 })
  }

  return {
    service,
    url: service.url,
    token,
    mintToFile,
    stats: () => call<EmulatorStats>('GET', '/_emulator/stats'),
    resetStats: () => call<undefined>('DELETE', '/_emulator/stats'),
    close: async () => {
      await pool.close()
      await service.stop()
    }
  }
}
