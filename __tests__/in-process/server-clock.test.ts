import { createPrivateKey } from 'node:crypto'
import { createGitHubClients } from '../../src/lib/transport/create-github-clients.js'
import { createServerClock } from '../../src/lib/transport/server-clock.js'
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js'
import { testContext } from '../harness/test-context.js'

describe("GitHub's clock: the runner's plus the offset learned from Date headers", () => {
  const runnerNow = () => Date.parse('2026-12-04T12:00:00Z')

  test('starts at the offset an earlier process passed on, or at 0', () => {
    expect(createServerClock(runnerNow).now()).toBe(runnerNow())
    expect(createServerClock(runnerNow, { offsetMs: -90_000 }).now()).toBe(runnerNow() - 90_000)
  })

  test('learns a skew from a Date header; ignores the header’s one-second noise and junk', () => {
    const clock = createServerClock(runnerNow)
    clock.learn('Fri, 04 Dec 2026 12:00:01 GMT')
    expect(clock.offsetMs()).toBe(0)
    clock.learn('not a date')
    clock.learn(undefined)
    expect(clock.offsetMs()).toBe(0)
    clock.learn('Fri, 04 Dec 2026 10:00:00 GMT')
    expect(clock.offsetMs()).toBe(-2 * 60 * 60_000)
    expect(new Date(clock.now()).toISOString()).toBe('2026-12-04T10:00:00.000Z')
  })
})

describe('GitHub clients: one clock for every client of a step', () => {
  let fake: FakeGitHub
  beforeAll(async () => {
    fake = await startFakeGitHub()
    fake.addInstallation({
      account: 'octo-org',
      repositories: ['app'],
      permissions: { contents: 'read' }
    })
  })
  afterAll(() => fake.close())
  afterEach(() => (fake.clockSkewMs = 0))

  const app = () => ({
    appId: String(fake.app.id),
    privateKey: createPrivateKey(fake.app.privateKey)
  })

  test('a reply to a token client teaches the App client: its first JWT is already right', async () => {
    fake.clockSkewMs = 10 * 60_000
    const { ctx } = testContext({ run: { apiUrl: fake.url } })
    await ctx.github
      .asToken(fake.url, 'ghs_not-a-token')
      .request('GET /rate_limit')
      .catch(() => undefined)
    expect(Math.round(ctx.github.clock.offsetMs() / 60_000)).toBe(10)
    const before = fake.requests.length
    await ctx.github.asApp(fake.url, app())('GET /app')
    expect(fake.requests.slice(before).map((r) => r.status)).toEqual([200])
  })

  test('an offset passed on from an earlier process: no refused JWT at all', async () => {
    fake.clockSkewMs = -10 * 60_000
    const { ctx } = testContext({ run: { apiUrl: fake.url } })
    const clients = createGitHubClients({
      log: ctx.log,
      now: () => Date.now(),
      http: httpOf(),
      clockOffsetMs: -10 * 60_000
    })
    const before = fake.requests.length
    await clients.asApp(fake.url, app())('GET /app')
    expect(fake.requests.slice(before).map((r) => r.status)).toEqual([200])
  })

  test('without it, the skewed JWT is refused once, then the clock is learned', async () => {
    fake.clockSkewMs = -10 * 60_000
    const { ctx } = testContext({ run: { apiUrl: fake.url } })
    const before = fake.requests.length
    const request = ctx.github.asApp(fake.url, app())
    await request('GET /app')
    await request('GET /app')
    expect(fake.requests.slice(before).map((r) => r.status)).toEqual([401, 200, 200])
    expect(Math.round(ctx.github.clock.offsetMs() / 60_000)).toBe(-10)
  })
})

function httpOf() {
  return {
    fetchFor: () => (url: string, init?: RequestInit) => fetch(url, init),
    timeoutMs: 2_000,
    retries: 0,
    retryBaseMs: 10,
    budgetMs: 10_000,
    maxRetryAfterSeconds: 10,
    cleanupBudgetMs: 1_000,
    cleanupTimeoutMs: 300
  }
}
