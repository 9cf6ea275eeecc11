import { sign, type KeyObject } from 'node:crypto'

/** A compact JWS split into its decoded parts. */
export interface DecodedJwt {
  readonly header: Record<string, unknown>
  readonly payload: Record<string, unknown>
  readonly signingInput: string
  readonly signature: Buffer
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** Signs an RS256 JWS. */
export function signRs256 (header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const signingInput = `${encode(header)}.${encode(payload)}`
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), key).toString('base64url')}`
}

const BASE64URL = /^[A-Za-z0-9_-]*$/

/** Decodes a compact JWS without verifying it; undefined when it is not one. */
export function decodeJwt (token: string): DecodedJwt | undefined {
  const parts = token.split('.')
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) return undefined
  const [header, payload, signature] = parts as [string, string, string]
  try {
    const decoded = { header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')), payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) }
    if (!isObject(decoded.header) || !isObject(decoded.payload)) return undefined
    return { header: decoded.header, payload: decoded.payload, signingInput: `${header}.${payload}`, signature: Buffer.from(signature, 'base64url') }
  } catch {
    return undefined
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
