import t from 'tap'
import { createKeyStore, type KeyStoreOptions } from '../src/entra-auth/key-store.js'
import type { SigningKey } from '../src/entra-auth/signing-keys.js'

const signingKey = (kid: string): SigningKey => ({ kid, issuer: undefined, verify: () => ({}) })
const keySet = (...kids: string[]) => new Map(kids.map((kid) => [kid, signingKey(kid)]))
const MINUTE = 60_000

function setup (published: () => string[] | Error, overrides: Partial<KeyStoreOptions> = {}) {
  const clock = { at: 0 }
  const events = { fetches: 0, errors: 0, withdrawn: 0 }
  let release: (() => void) | undefined
  const gate = { hold: false }
  const store = createKeyStore({
    fetchKeys: async () => {
      events.fetches += 1
      if (gate.hold) await new Promise<void>((resolve) => { release = resolve })
      const kids = published()
      if (kids instanceof Error) throw kids
      return keySet(...kids)
    },
    now: () => clock.at,
    refetchCooldownMs: 5 * MINUTE,
    unknownKidLimit: 3,
    unknownKidTtlMs: 60 * MINUTE,
    onRefetchError: () => { events.errors += 1 },
    onKeyWithdrawn: () => { events.withdrawn += 1 },
    ...overrides
  })
  return { store, clock, events, gate, release: () => release?.() }
}

t.test('loaded keys are served synchronously without fetching', async (t) => {
  const { store, events } = setup(() => ['a'])
  store.replace(keySet('a'))
  t.equal(store.get('a')?.kid, 'a')
  t.equal((await store.find('a'))?.kid, 'a')
  t.equal(events.fetches, 0)
})

t.test('the first unknown kid refetches at once; a rotated key is found', async (t) => {
  const { store, events } = setup(() => ['a', 'b'])
  store.replace(keySet('a'))
  t.equal((await store.find('b'))?.kid, 'b')
  t.equal(events.fetches, 1)
  t.equal(store.get('b')?.kid, 'b', 'now on the hot path')
})

t.test('later unknown kids wait for the 5 min cooldown', async (t) => {
  let published = ['a']
  const { store, clock, events } = setup(() => published)
  store.replace(keySet('a'))
  t.equal(await store.find('x1'), undefined)
  clock.at = 5 * MINUTE - 1
  published = ['a', 'x2']
  t.equal(await store.find('x2'), undefined, 'inside the cooldown: not fetched')
  t.equal(events.fetches, 1)
  clock.at = 5 * MINUTE
  t.equal((await store.find('x2'))?.kid, 'x2', 'after the cooldown: fetched')
  t.equal(events.fetches, 2)
})

t.test('concurrent misses share one fetch', async (t) => {
  const { store, events, gate, release } = setup(() => ['a', 'b'])
  gate.hold = true
  const lookups = Promise.all([store.find('b'), store.find('b'), store.find('c'), store.find('d')])
  await new Promise((resolve) => setImmediate(resolve))
  release()
  const found = await lookups
  t.same(found.map((key) => key?.kid), ['b', 'b', undefined, undefined])
  t.equal(events.fetches, 1)
})

t.test('confirmed-unknown kids are remembered (bounded) and never refetched for', async (t) => {
  const { store, clock, events } = setup(() => ['a'])
  t.equal(await store.find('ghost'), undefined)
  clock.at = 10 * MINUTE
  t.equal(await store.find('ghost'), undefined, 'remembered: no fetch even after the cooldown')
  t.equal(events.fetches, 1)
  clock.at = 20 * MINUTE
  await store.find('g2')
  clock.at = 30 * MINUTE
  await store.find('g3')
  clock.at = 40 * MINUTE
  await store.find('g4')
  t.equal(events.fetches, 4)
  clock.at = 50 * MINUTE
  await store.find('ghost')
  t.equal(events.fetches, 5, 'the oldest was evicted by the limit of 3, so it is looked up again')
})

t.test('remembered kids expire after their TTL', async (t) => {
  const { store, clock, events } = setup(() => ['a'])
  await store.find('ghost')
  clock.at = 60 * MINUTE
  await store.find('ghost')
  t.equal(events.fetches, 2)
})

t.test('a failed refetch is reported, counts for the cooldown, and remembers nothing', async (t) => {
  let outcome: string[] | Error = new Error('down')
  const { store, clock, events } = setup(() => outcome)
  store.replace(keySet('a'))
  t.equal(await store.find('b'), undefined)
  t.equal(events.errors, 1)
  t.equal(store.get('a')?.kid, 'a', 'last good keys kept')
  t.equal(await store.find('b'), undefined)
  t.equal(events.fetches, 1, 'no hammering while the provider is down')
  outcome = ['a', 'b']
  clock.at = 5 * MINUTE
  t.equal((await store.find('b'))?.kid, 'b', 'b was not remembered as unknown')
})

t.test('replacing the set reports withdrawn keys only', async (t) => {
  const { store, events } = setup(() => [])
  store.replace(keySet('a'))
  store.replace(keySet('a', 'b'))
  t.equal(events.withdrawn, 0)
  store.replace(keySet('b'))
  t.equal(events.withdrawn, 1)
  t.equal(store.size(), 1)
})
