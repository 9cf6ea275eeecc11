import { randomUUID } from 'node:crypto'
import { ConfidentialClientApplication, LogLevel, type NodeAuthOptions } from '@azure/msal-node'
import type { FastifyBaseLogger } from 'fastify'
import { readFederatedToken, type Credential } from './credential.js'
import { TokenAcquisitionError, translateMsalError } from './error-translation.js'
import type { IdpHttp } from './idp-http.js'
import type { TokenAcquirer } from './token-provider.js'

export interface MsalAcquirerOptions {
  readonly tenantId: string
  readonly clientId: string
  readonly authorityHost: string
  readonly credential: Credential
  readonly http: IdpHttp
  readonly log: FastifyBaseLogger
}

interface InstanceDiscovery { metadata?: Array<{ aliases?: unknown }> }

function credentialOptions (credential: Credential): Partial<NodeAuthOptions> {
  switch (credential.kind) {
    case 'secret': return { clientSecret: credential.secret }
    case 'certificate': {
      const { privateKey, thumbprintSha256, x5c } = credential
      return { clientCertificate: { privateKey, thumbprintSha256, ...(x5c === undefined ? {} : { x5c }) } }
    }
    case 'federated': return { clientAssertion: () => readFederatedToken(credential.tokenFile) }
  }
}

const msalLevel = (pinoLevel: string): LogLevel =>
  pinoLevel === 'trace' ? LogLevel.Verbose : pinoLevel === 'debug' ? LogLevel.Warning : LogLevel.Error

function msalLogger (log: FastifyBaseLogger): NonNullable<NonNullable<ConstructorParameters<typeof ConfidentialClientApplication>[0]['system']>['loggerOptions']> {
  return {
    piiLoggingEnabled: false,
    logLevel: msalLevel(log.level),
    // One level down: the token provider logs every failed acquisition with its code, and MSAL warns on every
    // client-credentials token ("No client info in response"), which is how that flow is meant to answer.
    loggerCallback (level, message, containsPii) {
      if (containsPii) return
      if (level === LogLevel.Error) log.warn(message)
      else if (level === LogLevel.Warning) log.debug(message)
      else log.trace(message)
    }
  }
}

/**
 * MSAL Node's confidential client behind a {@link TokenAcquirer}. Before the first acquisition it reads the
 * authority host's own instance discovery (`/common/discovery/instance`, as Entra serves it) and hands it to MSAL
 * as `cloudDiscoveryMetadata`: one code path for Entra, sovereign clouds and the emulator, MSAL never reaches out to
 * login.microsoftonline.com for another host, and the host still vouches for the authority (knownAuthorities would not).
 */
export function createMsalAcquirer (options: MsalAcquirerOptions): TokenAcquirer {
  const { tenantId, clientId, authorityHost, credential, http } = options
  const log = options.log.child({ component: 'msal' })
  const authority = `${authorityHost}/${tenantId}`
  const hostAndPort = new URL(authorityHost).host
  let client: Promise<ConfidentialClientApplication> | undefined

  async function createClient (): Promise<ConfidentialClientApplication> {
    const query = new URLSearchParams({ 'api-version': '1.1', authorization_endpoint: `${authority}/oauth2/v2.0/authorize` })
    const correlationId = randomUUID()
    const res = await http.sendGetRequestAsync<InstanceDiscovery>(`${authorityHost}/common/discovery/instance?${query}`, { correlationId })
    const wait = http.takeRetryAfter(correlationId)
    if (res.status !== 200) {
      const aadsts = (res.body as { error_codes?: unknown[] }).error_codes?.[0]
      const code = res.status === 429 || res.status >= 500 ? 'identity_provider_unavailable' : 'identity_provider_refused'
      throw new TokenAcquisitionError(code, 'instance_discovery_failed', typeof aadsts === 'number' ? aadsts : undefined, wait)
    }
    const listed = res.body.metadata?.some(({ aliases }) => Array.isArray(aliases) && aliases.includes(hostAndPort))
    if (!listed) throw new TokenAcquisitionError('identity_provider_refused', 'instance_not_listed')
    return new ConfidentialClientApplication({
      auth: { clientId, authority, cloudDiscoveryMetadata: JSON.stringify(res.body), ...credentialOptions(credential) },
      system: { networkClient: http, loggerOptions: msalLogger(log) }
    })
  }

  return async (scope, { forceRefresh }) => {
    const correlationId = randomUUID()
    try {
      client ??= createClient().catch((err: unknown) => {
        client = undefined
        throw err
      })
      const result = await (await client).acquireTokenByClientCredential({ scopes: [scope], skipCache: forceRefresh, correlationId })
      if (!result?.accessToken || !result.expiresOn) throw new TokenAcquisitionError('token_acquisition_failed', 'no_access_token')
      return { accessToken: result.accessToken, expiresOn: result.expiresOn.getTime(), refreshOn: result.refreshOn?.getTime() }
    } catch (err) {
      throw translateMsalError(err, http.takeRetryAfter(correlationId))
    }
  }
}
