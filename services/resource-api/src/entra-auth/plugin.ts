import fp from 'fastify-plugin'
import { Agent } from 'undici'
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify'
import { sendProblem, type HttpProblem } from '@entra-s2s/shared'
import { createFetchJson, PROVIDER_AGENT_OPTIONS } from './fetch-json.js'
import { createProvider } from './provider.js'
import { createTokenVerifier } from './verifier.js'
import { TokenRejected, reasons, type ClaimedIdentity, type Reason } from './reasons.js'
import { refusal, graphHint } from './challenge.js'
import { authorizationCount, quickBearer, readBearer } from './bearer.js'
import { resolveOptions, type EntraAuthOptions } from './options.js'
import type { Caller, VerifiedToken } from './caller.js'

export type { Caller } from './caller.js'
export type { EntraAuthOptions } from './options.js'
export type { Reason } from './reasons.js'

/** What a route demands of its caller. */
export interface RouteRequirement {
  /** Any one of these application roles is enough (compared case-sensitively); none listed means no role check. */
  readonly roles?: readonly string[]
  /** Refuse tokens that act for a user (default true: these are service-to-service routes). */
  readonly appOnly?: boolean
}

/** The `app.entraAuth` decorator. */
export interface EntraAuth {
  /** An `onRequest` hook that admits only valid tokens meeting `requirement` and sets `request.caller`. */
  require: (requirement?: RouteRequirement) => onRequestHookHandler
  /** True once the provider's metadata and keys have loaded (for the readiness probe). */
  isReady: () => boolean
  /** Resolves after the first successful load of metadata and keys. */
  whenReady: () => Promise<void>
  /** Reloads metadata and keys now; rejects (keeping the last good) when the provider cannot be read. */
  refresh: () => Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance { entraAuth: EntraAuth }
  interface FastifyRequest {
    /** The validated caller on routes guarded by `app.entraAuth.require`, otherwise null. */
    caller: Caller | null
  }
}

/** The caller of a guarded route. Throws (a 500) when the route has no `require` hook: a wiring bug. */
export function callerOf (request: FastifyRequest): Caller {
  if (request.caller === null) throw new Error(`route ${request.routeOptions.url ?? ''} has no entra-auth requirement`)
  return request.caller
}

async function entraAuthPlugin (app: FastifyInstance, rawOptions: EntraAuthOptions): Promise<void> {
  const options = resolveOptions(rawOptions)
  const log = app.log.child({ component: 'entra-auth' })
  const dispatcher = options.dispatcher ?? new Agent(PROVIDER_AGENT_OPTIONS)
  const provider = createProvider({
    ...options,
    fetchJson: createFetchJson(dispatcher, options.fetchTimeoutMs),
    log,
    onTrustChanged: () => verifier.clearCache()
  })
  const verifier = createTokenVerifier({ ...options, metadata: provider.metadata, keys: provider.keys })
  const reasonCodes = Object.keys(reasons) as Reason[]
  const refusalFor = (hint?: string) =>
    Object.fromEntries(reasonCodes.map((reason) => [reason, refusal(reason, options.realm, '', hint)])) as Record<Reason, HttpProblem>
  const refusals = refusalFor()
  const refusalsWithGraphHint = refusalFor(graphHint(options.audiences[0] as string))

  function refuse (request: FastifyRequest, reply: FastifyReply, problem: HttpProblem, claimed: ClaimedIdentity): void {
    request.log.info({ reason: problem.code, ...claimed }, 'token rejected')
    sendProblem(reply, problem)
  }

  function require (requirement: RouteRequirement = {}): onRequestHookHandler {
    const roles = requirement.roles ?? []
    const appOnly = requirement.appOnly ?? true
    const missingRole = refusal('missing_role', options.realm, roles.join(' '))

    const admit = (request: FastifyRequest, reply: FastifyReply, verified: VerifiedToken, done: () => void): void => {
      const { caller } = verified
      if (appOnly && !verified.appOnly) return refuse(request, reply, refusals.not_app_token, { appid: caller.appId, tid: caller.tenantId })
      if (roles.length > 0 && !holdsAny(caller.roles, roles)) return refuse(request, reply, missingRole, { appid: caller.appId, tid: caller.tenantId })
      request.caller = caller
      done()
    }

    return function entraAuthHook (request, reply, done) {
      const token = quickBearer(request.headers.authorization)
      const hit = token === undefined ? undefined : verifier.cached(token)
      if (hit !== undefined && authorizationCount(request.raw.rawHeaders) === 1) return admit(request, reply, hit, done)

      const credentials = readBearer(request.raw)
      if ('reason' in credentials) return refuse(request, reply, refusals[credentials.reason], {})
      if (!provider.isReady()) return refuse(request, reply, refusals.keys_unavailable, {})
      verifier.verify(credentials.token).then((verified) => {
        request.log.debug({ appid: verified.caller.appId, tid: verified.caller.tenantId }, 'token verified')
        admit(request, reply, verified, done)
      }, (err: unknown) => {
        if (!(err instanceof TokenRejected)) return reply.send(err)
        refuse(request, reply, (err.graphAudience ? refusalsWithGraphHint : refusals)[err.reason], err.claimed)
      })
    }
  }

  app.decorateRequest('caller', null)
  app.decorate('entraAuth', {
    require,
    isReady: provider.isReady,
    whenReady: provider.whenReady,
    refresh: provider.refresh
  } satisfies EntraAuth)
  app.addHook('onReady', async () => provider.start())
  app.addHook('onClose', async () => {
    provider.close()
    if (dispatcher !== options.dispatcher) await dispatcher.close()
  })
}

function holdsAny (granted: readonly string[], wanted: readonly string[]): boolean {
  for (const role of wanted) if (granted.includes(role)) return true
  return false
}

/**
 * Validates Microsoft Entra ID access tokens (v1 and v2, app roles, tenant allow-list) on the routes
 * that ask for it with `app.entraAuth.require(...)`. Register it once on the root instance.
 */
export const entraAuth = fp(entraAuthPlugin, { name: 'entra-auth', fastify: '5.x' })
