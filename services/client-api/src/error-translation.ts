import { AuthError, ClientAuthErrorCodes, InteractionRequiredAuthError, ServerError } from '@azure/msal-node'
import { HttpProblem } from '@entra-s2s/shared'
import { CredentialError } from './credential.js'
import { TokenUnavailableError } from './token-provider.js'

export type AcquisitionFailureCode =
  | 'identity_provider_refused'
  | 'identity_provider_unavailable'
  | 'credential_unavailable'
  | 'token_acquisition_failed'

/** Why a token could not be acquired, in our terms. Holds no secret and no upstream text. */
export class TokenAcquisitionError extends Error {
  readonly code: AcquisitionFailureCode
  /** The AADSTS number, when the identity provider sent one. */
  readonly aadsts: number | undefined
  /** MSAL's `errorCode`, or the undici/system code of a network failure: for logs. */
  readonly reason: string
  /** How long the identity provider asked us to wait (Retry-After), when it did. */
  readonly retryAfterMs: number | undefined

  constructor (code: AcquisitionFailureCode, reason: string, aadsts?: number, retryAfterMs?: number) {
    super(`${code}: ${reason}${aadsts === undefined ? '' : ` (AADSTS${aadsts})`}`)
    this.name = 'TokenAcquisitionError'
    this.code = code
    this.reason = reason
    this.aadsts = aadsts
    this.retryAfterMs = retryAfterMs
  }
}

// MSAL client-side failures that mean "the identity provider could not be reached or understood".
const unavailableCodes: ReadonlySet<string> = new Set([
  ClientAuthErrorCodes.networkError,
  ClientAuthErrorCodes.endpointResolutionError,
  ClientAuthErrorCodes.tokenParsingError,
  ClientAuthErrorCodes.noNetworkConnectivity,
  ClientAuthErrorCodes.openIdConfigError
])

const aadstsNumber = (value: unknown): number | undefined => {
  const first = String(value ?? '').trim().split(/\s+/)[0]
  return first !== undefined && /^\d{1,9}$/.test(first) ? Number(first) : undefined
}

/**
 * Classifies an MSAL (or credential) failure by `errorCode`, `errorNo` and `status`, never by message text.
 * `retryAfterMs` is what the identity provider's last answer to this request asked for, if anything.
 */
export function translateMsalError (err: unknown, retryAfterMs?: number): TokenAcquisitionError {
  if (err instanceof TokenAcquisitionError) return err
  if (err instanceof CredentialError) return new TokenAcquisitionError('credential_unavailable', err.code, undefined, retryAfterMs)
  if (!(err instanceof AuthError)) return new TokenAcquisitionError('token_acquisition_failed', 'unexpected_error', undefined, retryAfterMs)
  if (err instanceof ServerError) {
    const status = err.status
    const aadsts = aadstsNumber(err.errorNo) ?? aadstsNumber(err.errorCode)
    // MSAL's own throttle refuses without a status, naming the earlier AADSTS codes in errorCode.
    const unavailable = status === undefined || status === 429 || status >= 500
    return new TokenAcquisitionError(unavailable ? 'identity_provider_unavailable' : 'identity_provider_refused',
      err.errorCode || 'server_error', aadsts, retryAfterMs)
  }
  if (err instanceof InteractionRequiredAuthError) {
    return new TokenAcquisitionError('identity_provider_refused', err.errorCode, aadstsNumber((err as { errorNo?: unknown }).errorNo), retryAfterMs)
  }
  if (unavailableCodes.has(err.errorCode)) return new TokenAcquisitionError('identity_provider_unavailable', err.errorCode, undefined, retryAfterMs)
  return new TokenAcquisitionError('token_acquisition_failed', err.errorCode || 'auth_error', undefined, retryAfterMs)
}

const acquisitionDetails: Readonly<Record<AcquisitionFailureCode, string>> = {
  identity_provider_refused: 'The identity provider refused the token request.',
  identity_provider_unavailable: 'The identity provider is unreachable or asked to retry later.',
  credential_unavailable: 'The client credential could not be read.',
  token_acquisition_failed: 'No access token could be acquired.'
}

/** 503 with Retry-After for a request that could not get a token; carries the AADSTS code when there is one. */
export function tokenUnavailableProblem (err: TokenUnavailableError): HttpProblem {
  const failure = translateMsalError(err.cause)
  const retryAfter = String(Math.max(1, Math.ceil(err.retryAfterMs / 1000)))
  return new HttpProblem({
    status: 503,
    code: failure.code,
    detail: acquisitionDetails[failure.code],
    headers: { 'retry-after': retryAfter },
    cause: failure,
    ...(failure.aadsts === undefined ? {} : { extensions: { aadsts: failure.aadsts } })
  })
}

const timeoutCodes: ReadonlySet<string> = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

/** 504 when the resource API was too slow, 502 when it could not be reached: by undici's `err.code`. */
export function resourceFailureProblem (err: unknown): HttpProblem {
  const code = String((err as { code?: unknown } | undefined)?.code ?? '')
  if (timeoutCodes.has(code)) {
    return new HttpProblem({ status: 504, code: 'downstream_timeout', detail: 'The resource API did not answer in time.', cause: err })
  }
  return new HttpProblem({ status: 502, code: 'downstream_unreachable', detail: 'The resource API could not be reached.', cause: err })
}

/** 502 for an answer from the resource API that we cannot pass on. */
export function resourceStatusProblem (status: number): HttpProblem {
  if (status === 401) {
    return new HttpProblem({ status: 502, code: 'downstream_unauthorized', detail: 'The resource API rejected the access token.' })
  }
  if (status === 403) {
    return new HttpProblem({ status: 502, code: 'downstream_forbidden', detail: 'The resource API refused this client: it lacks the required app role.' })
  }
  return new HttpProblem({ status: 502, code: 'downstream_error', detail: `The resource API answered ${status}.` })
}

/** 502 for a 200 whose body is not the forecast JSON we expect. */
export const resourceBodyProblem = (): HttpProblem =>
  new HttpProblem({ status: 502, code: 'downstream_invalid_response', detail: 'The resource API sent a body that is not the expected forecast JSON.' })
