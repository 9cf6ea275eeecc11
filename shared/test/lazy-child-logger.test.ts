import { Writable } from 'node:stream'
import t from 'tap'
import { pino } from 'pino'
import { loggerOptions } from '../src/logger.js'
import { lazyChildLogger } from '../src/lazy-child-logger.js'

t.test('the request logger builds its child on first use, with the request id and redaction', async (t) => {
  const lines: Array<Record<string, unknown>> = []
  const parent = pino(loggerOptions('info', 'client-api'), new Writable({
    write (chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)))
      done()
    }
  }))
  let children = 0
  const counting = Object.assign(Object.create(parent), { child: (...args: Parameters<typeof parent.child>) => { children += 1; return parent.child(...args) } })
  const log = lazyChildLogger(counting, { reqId: 'req-1' })
  t.equal(children, 0, 'nothing built while nothing is logged')
  log.debug('below the level')
  t.equal(children, 1)
  log.error({ authorization: 'Bearer secret', code: 'x' }, 'failed')
  log.child({ component: 'c' }).warn('from a child')
  t.equal(children, 1, 'one child per request')
  t.equal(log.level, 'info')
  t.match(lines, [
    { level: 50, reqId: 'req-1', code: 'x', authorization: '[redacted]', msg: 'failed' },
    { level: 40, reqId: 'req-1', component: 'c', msg: 'from a child' }
  ])
  t.equal(lines.length, 2)
})
