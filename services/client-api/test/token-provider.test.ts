import t from 'tap'
import { createTokenProvider, TokenUnavailableError, type AcquiredToken } from '../src/token-provider.js'
import { fakeClock, settle } from './fake-clock.js'

const SCOPE = 'api://resource/.default'
const HOUR = 3_600_000
const MINUTE = 60_000

interface Call { scope: string, forceRefresh: boolean, resolve: (token: AcquiredToken) => void, reject: (err: unknown) => void }

function setup () {
  const clock = fakeClock()
  const calls: Call[] = []
  const errors: Array<{ retryInMs: number, servingCachedToken: boolean }> = []
  const provider = createTokenProvider({
    now: clock.now,
    timers: clock.timers,
    acquire: (scope, { forceRefresh }) => new Promise((resolve, reject) => { calls.push({ scope, forceRefresh, resolve, reject }) }),
    onError: (_err, { retryInMs, servingCachedToken }) => { errors.push({ retryInMs, servingCachedToken }) }
  })
  let issued = 0
  const token = (lifetimeMs = HOUR, refreshInMs?: number): AcquiredToken => {
    issued += 1
    return { accessToken: `token-${issued}`, expiresOn: clock.now() + lifetimeMs, refreshOn: refreshInMs === undefined ? undefined : clock.now() + refreshInMs }
  }
  const last = () => calls[calls.length - 1]!
  return { clock, calls, errors, provider, token, last }
}

const failure = (retryAfterMs?: number) => Object.assign(new Error('identity provider down'), retryAfterMs === undefined ? {} : { retryAfterMs })

t.test('100 concurrent cold callers share one acquisition, later callers read the held token', async (t) => {
  const { calls, provider, token, last } = setup()
  const pending = Array.from({ length: 100 }, () => provider.getToken(SCOPE))
  await settle()
  t.equal(calls.length, 1)
  t.same(calls[0], { scope: SCOPE, forceRefresh: false, resolve: calls[0]!.resolve, reject: calls[0]!.reject })
  last().resolve(token())
  const results = await Promise.all(pending)
  t.ok(results.every((r) => r.accessToken === 'token-1' && r.facts.source === 'fresh'))
  t.same(results[0]!.facts, { source: 'fresh', expiresOn: new Date(Date.UTC(2026, 0, 1) + HOUR).toISOString(), scope: SCOPE })
  const warm = await provider.getToken(SCOPE)
  t.equal(warm.accessToken, 'token-1')
  t.equal(warm.facts.source, 'cache')
  t.equal(calls.length, 1)
  t.ok(provider.hasToken(SCOPE))
  t.notOk(provider.hasToken('api://other/.default'))
})

t.test('each scope has its own single flight', async (t) => {
  const { calls, provider, token } = setup()
  const a = provider.getToken(SCOPE)
  const b = provider.getToken('api://other/.default')
  await settle()
  t.same(calls.map((c) => c.scope), [SCOPE, 'api://other/.default'])
  calls[0]!.resolve(token())
  calls[1]!.resolve(token())
  t.equal((await a).accessToken, 'token-1')
  t.equal((await b).accessToken, 'token-2')
})

t.test('refreshes in the background five minutes before expiry, without blocking callers', async (t) => {
  const { clock, calls, provider, token, last } = setup()
  const first = provider.getToken(SCOPE)
  await settle()
  last().resolve(token())
  await first
  t.equal(clock.nextTimerAt(), clock.now() + HOUR - 5 * MINUTE)
  await clock.advance(HOUR - 5 * MINUTE - 1)
  t.equal(calls.length, 1, 'no refresh before the margin')
  await clock.advance(1)
  t.equal(calls.length, 2, 'refresh started by the timer')
  t.equal(last().forceRefresh, true, 'a refresh bypasses the cache below')
  const during = await provider.getToken(SCOPE)
  t.equal(during.accessToken, 'token-1', 'callers keep the held token while the refresh runs')
  t.equal(during.facts.source, 'cache')
  last().resolve(token())
  await settle()
  const after = await provider.getToken(SCOPE)
  t.equal(after.accessToken, 'token-2')
  t.equal(calls.length, 2)
})

t.test('honours refresh_in (refreshOn) when the identity provider sends it', async (t) => {
  const { clock, calls, provider, token, last } = setup()
  const first = provider.getToken(SCOPE)
  await settle()
  last().resolve(token(HOUR, 30 * MINUTE))
  await first
  await clock.advance(30 * MINUTE - 1)
  t.equal(calls.length, 1)
  await clock.advance(1)
  t.equal(calls.length, 2)
})

t.test('short-lived tokens refresh at half their lifetime', async (t) => {
  const { clock, calls, provider, token, last } = setup()
  const first = provider.getToken(SCOPE)
  await settle()
  last().resolve(token(2 * MINUTE))
  await first
  t.equal(clock.nextTimerAt(), clock.now() + MINUTE)
  await clock.advance(MINUTE)
  t.equal(calls.length, 2)
})

t.test('a failed refresh keeps the still-valid token in service and retries after Retry-After', async (t) => {
  const { clock, calls, errors, provider, token, last } = setup()
  const first = provider.getToken(SCOPE)
  await settle()
  last().resolve(token())
  await first
  await clock.advance(HOUR - 5 * MINUTE)
  last().reject(failure(10_000))
  await settle()
  t.same(errors, [{ retryInMs: 10_000, servingCachedToken: true }])
  const during = await provider.getToken(SCOPE)
  t.equal(during.accessToken, 'token-1')
  t.equal(calls.length, 2, 'callers do not start acquisitions while the held token is usable')
  await clock.advance(9_999)
  t.equal(calls.length, 2)
  await clock.advance(1)
  t.equal(calls.length, 3, 'retried once Retry-After has passed')
  last().resolve(token())
  await settle()
  t.equal((await provider.getToken(SCOPE)).accessToken, 'token-2')
})

t.test('without a usable token, failures fail fast until the retry time, with backoff growing and capped', async (t) => {
  const { clock, calls, errors, provider, token, last } = setup()
  const first = provider.getToken(SCOPE)
  await settle()
  last().reject(failure())
  const err = await first.catch((e: unknown) => e)
  t.type(err, TokenUnavailableError)
  t.equal((err as TokenUnavailableError).retryAfterMs, 1_000)
  t.match((err as TokenUnavailableError).cause, { message: 'identity provider down' })

  await clock.advance(400)
  const fast = await provider.getToken(SCOPE).catch((e: unknown) => e)
  t.type(fast, TokenUnavailableError)
  t.equal((fast as TokenUnavailableError).retryAfterMs, 600, 'Retry-After counts down')
  t.equal(calls.length, 1, 'no new attempt inside the backoff')

  for (let i = 0; i < 8; i++) {
    await clock.advance(clock.nextTimerAt() - clock.now())
    last().reject(failure())
    await settle()
  }
  t.same(errors.map((e) => e.retryInMs), [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000])
  t.equal(calls.length, 9, 'the background retries keep going')
  t.ok(errors.every((e) => !e.servingCachedToken))

  await clock.advance(clock.nextTimerAt() - clock.now())
  last().resolve(token())
  await settle()
  t.equal((await provider.getToken(SCOPE)).accessToken, 'token-1', 'recovers once the provider answers')
})

t.test('an expired token is not served: callers wait for the shared acquisition', async (t) => {
  const { clock, calls, provider, token, last } = setup()
  const first = provider.getToken(SCOPE)
  await settle()
  last().resolve(token())
  await first
  provider.close()
  await clock.advance(HOUR - 30_000)
  t.equal(calls.length, 1, 'closed: no background refresh')
  const pending = [provider.getToken(SCOPE), provider.getToken(SCOPE)]
  await settle()
  t.equal(calls.length, 2)
  last().resolve(token())
  t.same((await Promise.all(pending)).map((r) => [r.accessToken, r.facts.source]), [['token-2', 'fresh'], ['token-2', 'fresh']])
})

t.test('forced refresh replaces a rejected token once, however many callers ask', async (t) => {
  const { calls, provider, token, last } = setup()
  const first = provider.getToken(SCOPE)
  await settle()
  last().resolve(token())
  const rejected = (await first).accessToken
  const pending = Array.from({ length: 10 }, () => provider.forceRefresh(SCOPE, rejected))
  await settle()
  t.equal(calls.length, 2)
  t.equal(last().forceRefresh, true)
  last().resolve(token())
  const results = await Promise.all(pending)
  t.ok(results.every((r) => r.accessToken === 'token-2' && r.facts.source === 'fresh'))
  const late = await provider.forceRefresh(SCOPE, rejected)
  t.equal(late.accessToken, 'token-2', 'a caller holding the old token gets the newer one without a new request')
  t.equal(late.facts.source, 'cache')
  t.equal(calls.length, 2)
})

t.test('warm acquires at once and keeps retrying in the background until it succeeds', async (t) => {
  const { clock, calls, provider, token, last } = setup()
  provider.warm(SCOPE)
  await settle()
  t.equal(calls.length, 1)
  t.notOk(provider.hasToken(SCOPE))
  last().reject(failure(5_000))
  await settle()
  await clock.advance(5_000)
  t.equal(calls.length, 2)
  last().resolve(token())
  await settle()
  t.ok(provider.hasToken(SCOPE))
  provider.warm(SCOPE)
  await settle()
  t.equal(calls.length, 2, 'warm is a no-op once a token is held')
  provider.close()
  t.equal(clock.pendingTimers(), 0, 'close clears the refresh timer')
})

t.test('an empty or already expired token counts as a failure', async (t) => {
  const { provider, last, clock } = setup()
  const first = provider.getToken(SCOPE)
  await settle()
  last().resolve({ accessToken: 'x', expiresOn: clock.now() })
  await t.rejects(first, TokenUnavailableError)
  const { provider: p2, last: last2 } = setup()
  const second = p2.getToken(SCOPE)
  await settle()
  last2().resolve({ accessToken: '', expiresOn: clock.now() + HOUR })
  await t.rejects(second, TokenUnavailableError)
})
