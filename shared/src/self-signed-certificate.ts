import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto'

/** A certificate as PEM and as DER (the form `x5c` and thumbprints use). */
export interface CertificateMaterial {
  readonly pem: string
  readonly der: Buffer
}

const DAY_MS = 86_400_000
// DER encodings of sha256WithRSAEncryption (1.2.840.113549.1.1.11) and commonName (2.5.4.3).
const SHA256_WITH_RSA = Buffer.from('06092a864886f70d01010b', 'hex')
const COMMON_NAME = Buffer.from('0603550403', 'hex')

function lengthOf (length: number): Buffer {
  if (length < 0x80) return Buffer.from([length])
  const bytes: number[] = []
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

function tlv (tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content)
  return Buffer.concat([Buffer.from([tag]), lengthOf(body.length), body])
}

const sequence = (...content: Buffer[]) => tlv(0x30, ...content)
const integer = (bytes: Buffer) => tlv(0x02, (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes)
const name = (commonName: string) => sequence(tlv(0x31, sequence(COMMON_NAME, tlv(0x0c, Buffer.from(commonName, 'utf8')))))
const algorithm = sequence(SHA256_WITH_RSA, Buffer.from('0500', 'hex'))

// RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
function time (date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2))) : tlv(0x18, Buffer.from(iso))
}

/**
 * Creates a self-signed X.509 v3 certificate (sha256WithRSAEncryption, subject = issuer = CN=`commonName`) for an RSA key
 * pair: enough for a JWKS `x5c` entry, its `x5t` thumbprint, or a client certificate. Built with node:crypto alone, so
 * it costs a signature, not a library load.
 */
export function selfSignedCertificate (
  keys: { privateKey: KeyObject, publicKey: KeyObject },
  commonName: string,
  options: { notBefore?: Date, validityDays?: number } = {}
): CertificateMaterial {
  if (keys.privateKey.asymmetricKeyType !== 'rsa') throw new TypeError('selfSignedCertificate needs an RSA key pair')
  const notBefore = options.notBefore ?? new Date()
  const notAfter = new Date(notBefore.getTime() + (options.validityDays ?? 365) * DAY_MS)
  const serial = randomBytes(16)
  serial[0] = (serial[0] ?? 0) & 0x7f
  const spki = keys.publicKey.export({ type: 'spki', format: 'der' })
  const tbs = sequence(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    algorithm,
    name(commonName),
    sequence(time(notBefore), time(notAfter)),
    name(commonName),
    spki
  )
  const signature = sign('sha256', tbs, keys.privateKey)
  const der = sequence(tbs, algorithm, tlv(0x03, Buffer.from([0]), signature))
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`
  return { pem, der }
}

/** The base64url SHA-1 thumbprint of a DER certificate (`x5t`). */
export const x5tOf = (der: Buffer): string => createHash('sha1').update(der).digest('base64url')
