import { TokenError } from 'fast-jwt'

interface ReasonInfo {
  readonly status: 400 | 401 | 403 | 503
  /** The RFC 6750 `error` attribute; none when no token was sent (§3.1) or when the failure is ours. */
  readonly error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope'
  /** Fixed text for `error_description` and the problem `detail`: it never quotes the token or a claim. */
  readonly description: string
}

/**
 * Every way a request can be refused, keyed by the stable `code` of the problem body and the log line.
 * Order of checks: header syntax, size, structure, algorithm, key, signature, lifetime, tenant and issuer,
 * audience, token kind, role.
 */
export const reasons = {
  missing_token: { status: 401, description: 'A bearer token is required.' },
  invalid_request: { status: 400, error: 'invalid_request', description: 'The Authorization header is malformed.' },
  token_too_large: { status: 401, error: 'invalid_token', description: 'The token is too large.' },
  malformed_token: { status: 401, error: 'invalid_token', description: 'The token is malformed.' },
  unsupported_algorithm: { status: 401, error: 'invalid_token', description: 'The token algorithm is not accepted.' },
  embedded_key: { status: 401, error: 'invalid_token', description: 'The token names its own key.' },
  unknown_key: { status: 401, error: 'invalid_token', description: 'The signature key was not found.' },
  bad_signature: { status: 401, error: 'invalid_token', description: 'The signature is invalid.' },
  no_expiry: { status: 401, error: 'invalid_token', description: 'The token has no expiration.' },
  expired: { status: 401, error: 'invalid_token', description: 'The token is expired.' },
  not_yet_valid: { status: 401, error: 'invalid_token', description: 'The token is not valid yet.' },
  wrong_tenant: { status: 401, error: 'invalid_token', description: 'The tenant is not accepted.' },
  bad_issuer: { status: 401, error: 'invalid_token', description: 'The issuer is invalid.' },
  bad_key_issuer: { status: 401, error: 'invalid_token', description: 'The signature key does not belong to the issuer.' },
  bad_audience: { status: 401, error: 'invalid_token', description: 'The audience is invalid.' },
  not_app_token: { status: 401, error: 'invalid_token', description: 'Only application tokens are accepted.' },
  missing_role: { status: 403, error: 'insufficient_scope', description: 'The token lacks a required application role.' },
  keys_unavailable: { status: 503, description: 'The signing keys are not loaded yet.' }
} as const satisfies Record<string, ReasonInfo>

/** A stable reason code: the problem `code` and the `reason` of the rejection log line. */
export type Reason = keyof typeof reasons

/** Claims read from a refused token for the log line, only when they look like GUIDs. Unverified. */
export interface ClaimedIdentity {
  readonly appid?: string
  readonly tid?: string
}

/** Thrown by the verifier; the plugin turns it into a problem response and one log line. */
export class TokenRejected extends Error {
  readonly reason: Reason
  readonly claimed: ClaimedIdentity
  /** Set when the token was meant for Microsoft Graph, a common mistake worth a hint in the response. */
  readonly graphAudience: boolean

  constructor (reason: Reason, claimed: ClaimedIdentity = {}, graphAudience = false) {
    super(reasons[reason].description)
    this.name = 'TokenRejected'
    this.reason = reason
    this.claimed = claimed
    this.graphAudience = graphAudience
  }
}

const codes = TokenError.codes

// Translated by fast-jwt's stable codes; anything unlisted is treated as a malformed token.
const fromTokenErrorCode: Partial<Record<string, Reason>> = {
  [codes.malformed]: 'malformed_token',
  [codes.invalidPayload]: 'malformed_token',
  [codes.invalidType]: 'malformed_token',
  [codes.invalidCritHeader]: 'malformed_token',
  [codes.invalidClaimType]: 'malformed_token',
  [codes.invalidAlgorithm]: 'unsupported_algorithm',
  [codes.invalidSignature]: 'bad_signature',
  [codes.missingSignature]: 'bad_signature',
  [codes.verifyError]: 'bad_signature',
  [codes.missingRequiredClaim]: 'no_expiry',
  [codes.expired]: 'expired',
  [codes.inactive]: 'not_yet_valid'
}

/** The reason for a fast-jwt `TokenError`; rethrows anything that is not one. */
export function reasonOf (err: unknown): Reason {
  if (err instanceof TokenError) return fromTokenErrorCode[err.code] ?? 'malformed_token'
  throw err
}
