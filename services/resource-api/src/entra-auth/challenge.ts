import { HttpProblem } from '@entra-s2s/shared'
import { reasons, type Reason } from './reasons.js'

const RETRY_AFTER_S = '5'

/** The problem a refusal renders as, with its RFC 6750 challenge. Built once per reason, route and hint. */
export function refusal (reason: Reason, realm: string, scope: string, graphHint?: string): HttpProblem {
  const info: { status: number, error?: string, description: string } = reasons[reason]
  let challenge = `Bearer realm=${quoted(realm)}`
  if (info.error !== undefined) challenge += `, error="${info.error}", error_description=${quoted(info.description)}`
  if (reason === 'missing_role' && scope !== '') challenge += `, scope=${quoted(scope)}`
  const headers: Record<string, string> = info.status === 503 ? { 'retry-after': RETRY_AFTER_S } : { 'www-authenticate': challenge }
  const detail = graphHint === undefined ? info.description : `${info.description} ${graphHint}`
  return new HttpProblem({ status: info.status, code: reason, detail, headers })
}

/** The hint for a token meant for Microsoft Graph: the client asked for the wrong resource. */
export const graphHint = (audience: string): string =>
  `The token was issued for Microsoft Graph, not for this API: request a token with the scope ${audience}/.default.`

/** An RFC 9110 quoted-string. */
function quoted (value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`
}
