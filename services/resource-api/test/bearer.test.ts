import type { IncomingMessage } from 'node:http'
import t from 'tap'
import { quickBearer, readBearer } from '../src/entra-auth/bearer.js'

const message = (...values: string[]) => ({
  headers: values.length > 0 ? { authorization: values[0] } : {},
  rawHeaders: values.flatMap((value) => ['Authorization', value])
}) as unknown as IncomingMessage

t.test('readBearer per RFC 6750', async (t) => {
  t.same(readBearer(message('Bearer abc.def.ghi')), { token: 'abc.def.ghi' })
  t.same(readBearer(message('bearer abc')), { token: 'abc' }, 'scheme is case-insensitive')
  t.same(readBearer(message('BEARER   abc==  ')), { token: 'abc==' }, 'spaces and padding allowed')
  t.same(readBearer(message()), { reason: 'missing_token' })
  t.same(readBearer(message('')), { reason: 'missing_token' })
  t.same(readBearer(message('Basic dXNlcjpwYXNz')), { reason: 'missing_token' }, 'another scheme is no token')
  t.same(readBearer(message('Negotiate')), { reason: 'missing_token' })
  t.same(readBearer(message('Bearer')), { reason: 'invalid_request' })
  t.same(readBearer(message('Bearer a b')), { reason: 'invalid_request' })
  t.same(readBearer(message('Bearer a"b')), { reason: 'invalid_request' })
  t.same(readBearer(message('Bearerabc')), { reason: 'missing_token' }, 'a scheme named Bearerabc')
  t.same(readBearer(message('{junk}')), { reason: 'invalid_request' })
  t.same(readBearer(message('Bearer a', 'Bearer b')), { reason: 'invalid_request' }, 'duplicated header')
})

t.test('quickBearer takes only the plain shape and leaves the rest to readBearer', async (t) => {
  t.equal(quickBearer('Bearer abc'), 'abc')
  t.equal(quickBearer('bearer abc'), 'abc')
  t.equal(quickBearer(undefined), undefined)
  t.equal(quickBearer('Bearer '), undefined)
  t.equal(quickBearer('Basic abcdef'), undefined)
  t.equal(quickBearer('Bearerxabc'), undefined)
})
