import t from 'tap'
import pino from 'pino'
import { loggerOptions } from '../src/logger.js'

t.test('credentials and tokens are censored where services could carry them', async (t) => {
  const lines: string[] = []
  const log = pino(loggerOptions('info', 'test'), { write: (line: string) => { lines.push(line) } })
  log.info({
    token: 'SECRET-1',
    body: { client_secret: 'SECRET-2', client_assertion: 'SECRET-3', grant_type: 'client_credentials' },
    req: { headers: { authorization: 'Bearer SECRET-4' } },
    credential: { secret: 'SECRET-5', privateKey: 'SECRET-6', kind: 'secret' },
    err: { cause: { accessToken: 'SECRET-7' } }
  }, 'attempt')
  log.child({ clientSecret: 'SECRET-8' }).info('child')
  t.equal(lines.length, 2)
  t.notMatch(lines.join('\n'), /SECRET-/)
  t.match(lines[0], /"grant_type":"client_credentials"/)
  t.match(lines[0], /"kind":"secret"/)
  t.match(lines[0], /\[redacted\]/)
})

t.test('requests are logged by method, path and id, never with their query string', async (t) => {
  const lines: string[] = []
  const log = pino(loggerOptions('info', 'test'), { write: (line: string) => { lines.push(line) } })
  log.info({ req: { method: 'POST', url: '/token?client_secret=SECRET', id: 'r1' } }, 'request')
  t.match(JSON.parse(lines[0]!), { req: { method: 'POST', path: '/token', id: 'r1' } })
  t.notMatch(lines[0], /SECRET/)
})
