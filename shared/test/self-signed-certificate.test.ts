import { X509Certificate, createHash, generateKeyPairSync } from 'node:crypto'
import t from 'tap'
import { selfSignedCertificate, x5tOf } from '../src/self-signed-certificate.js'

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 })

t.test('a self-signed v3 certificate Node and OpenSSL accept', async (t) => {
  const notBefore = new Date('2030-01-01T00:00:00Z')
  const cert = selfSignedCertificate(keys, 'unit test ✓', { notBefore, validityDays: 10 })
  const parsed = new X509Certificate(cert.pem)
  t.equal(parsed.subject, 'CN=unit test ✓')
  t.equal(parsed.issuer, 'CN=unit test ✓')
  t.equal(Date.parse(parsed.validFrom), notBefore.getTime())
  t.equal(Date.parse(parsed.validTo), notBefore.getTime() + 10 * 86_400_000)
  t.ok(parsed.verify(keys.publicKey), 'signed by its own key')
  t.ok(parsed.publicKey.equals(keys.publicKey), 'certifies the given key')
  t.same(Buffer.from(parsed.raw), cert.der)
  t.match(cert.pem, /^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{64}\n)+[A-Za-z0-9+/=]{1,64}\n-----END CERTIFICATE-----\n$/)
  t.match(parsed.serialNumber, /^[0-9A-F]+$/)
})

t.test('dates from 2050 use GeneralizedTime; serials differ', async (t) => {
  const cert = selfSignedCertificate(keys, 'far', { notBefore: new Date('2049-12-31T00:00:00Z'), validityDays: 3650 })
  const parsed = new X509Certificate(cert.pem)
  t.equal(Date.parse(parsed.validFrom), Date.parse('2049-12-31T00:00:00Z'))
  t.equal(Date.parse(parsed.validTo), Date.parse('2049-12-31T00:00:00Z') + 3650 * 86_400_000)
  t.not(new X509Certificate(selfSignedCertificate(keys, 'far').pem).serialNumber, parsed.serialNumber)
})

t.test('x5t is the base64url SHA-1 of the DER; non-RSA keys are refused', async (t) => {
  const cert = selfSignedCertificate(keys, 'x')
  t.equal(x5tOf(cert.der), createHash('sha1').update(cert.der).digest('base64url'))
  t.equal(x5tOf(cert.der).length, 27)
  t.throws(() => selfSignedCertificate(generateKeyPairSync('ec', { namedCurve: 'P-256' }), 'ec'), TypeError)
})
