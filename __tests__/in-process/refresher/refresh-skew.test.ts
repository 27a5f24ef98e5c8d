import { createPrivateKey } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { systemClock } from '../../../src/lib/refresher-control/clock.js'
import { createServerClock } from '../../../src/lib/transport/server-clock.js'
import type { InstallationToken } from '../../../src/lib/installation/create-installation-token.js'
import { MIN_MINT_INTERVAL_MS } from '../../../src/refresher/schedule.js'
import { createQuietLog } from '../../../src/refresher/status.js'
import type { RefreshDeps } from '../../../src/refresher/turn.js'
import { createRefreshTime, type RefreshTime } from '../../../src/refresher/time.js'
import type { RefresherConfig } from '../../../src/lib/refresher-control/refresher-config.js'
import { createRefresherRequests } from '../../../src/refresher/requests.js'
import { runRefreshLoop } from '../../../src/refresher/loop.js'
import { createStatusRecorder } from '../../../src/refresher/status.js'
import { guardTokenFile } from '../../../src/refresher/token-file.js'
import { tokenFileIdentity } from '../../../src/lib/refresher-control/token-file-identity.js'
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'

/**
 * The refresh loop itself, on a simulated clock: hours pass in milliseconds. GitHub's time is
 * T0 + t; the runner's clock is off by `runnerSkewMs`; its monotonic clock is t. Mints answer at
 * once with hour-long tokens and (unless told not to) a Date header the clock learns from.
 */

const T0 = Date.parse('2026-06-01T12:00:00Z')
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const SPAN = 6 * HOUR

interface Scenario {
  runnerSkewMs: number
  /** The offset the refresher starts from (what the main step learned). */
  startOffsetMs: number
  /** Whether replies carry a Date header (default true). */
  dateHeaders?: boolean
  /** GitHub's time span (from T0) in which every mint is answered 502. */
  outage?: [number, number]
}

async function simulate(scenario: Scenario) {
  let t = 0
  const server = createServerClock(() => T0 + t + scenario.runnerSkewMs, {
    offsetMs: scenario.startOffsetMs
  })
  const controller = new AbortController()
  const expiry = new Map<string, number>([['tok-0', T0 + HOUR]])
  const mints: number[] = []
  const attempts: number[] = []
  const revoked = new Map<string, number>()
  const dir = mkdtempSync(join(tmpdir(), 'mint-token-skew-'))
  const tokenFile = join(dir, 'token')
  writeFileSync(tokenFile, 'tok-0', { mode: 0o600 })
  let expiredFor = 0
  const time: RefreshTime = {
    server,
    monotonic: () => t,
    // The stop's budget: nothing is in flight here, so it is never waited out.
    sleep: () => new Promise(() => {}),
    async sleepUntil(at, signal) {
      await new Promise((resolve) => setImmediate(resolve))
      if (signal.aborted) return
      t = Math.min(t + Math.max(at - server.now(), 0), SPAN)
      // The file held its token all through the wait: how long past its expiry, by GitHub?
      const current = readFileSync(tokenFile, 'utf8')
      expiredFor = Math.max(expiredFor, T0 + t - expiry.get(current)!)
      if (t >= SPAN || attempts.length > 2_000) controller.abort('deadline')
    }
  }
  const mint = (): Promise<InstallationToken> => {
    attempts.push(t)
    const [from, to] = scenario.outage ?? [Infinity, Infinity]
    if (T0 + t >= from && T0 + t < to)
      return Promise.reject(Object.assign(new Error('Server Error'), { status: 502, response: {} }))
    if (scenario.dateHeaders !== false) server.learn(new Date(T0 + t).toUTCString())
    const token = `tok-${mints.push(t)}`
    expiry.set(token, T0 + t + HOUR)
    const expiresAt = new Date(T0 + t + HOUR).toISOString()
    return Promise.resolve({
      token,
      expiresAt,
      permissions: {},
      repositorySelection: 'all',
      installationId: 1000
    })
  }
  const core = createQuietLog(() => T0 + t)
  // Looked at before each mint only: its own poll's timer is never fired.
  const guard = guardTokenFile(tokenFile, tokenFileIdentity(tokenFile), { after: () => () => {} })
  const deps: RefreshDeps = {
    config: { tokenFile } as RefresherConfig,
    requests: {
      mint,
      revoke: (token) => {
        revoked.set(token, T0 + t)
        return Promise.resolve('revoked')
      }
    },
    time,
    log: core,
    status: createStatusRecorder(join(dir, 'status.json'), core, () => T0 + t),
    tokenFile: guard,
    signal: controller.signal
  }
  await runRefreshLoop(deps, { token: 'tok-0', mintedAt: T0, expiresAt: T0 + HOUR })
  guard.dispose()
  const gaps = mints.slice(1).map((at, i) => at - mints[i]!)
  return { mints, attempts, gaps, revoked, expiredFor, expiry }
}

describe("refresh: scheduled in GitHub's time, whatever the runner's clock says", () => {
  test.each([
    ['2 hours ahead of', -2 * HOUR],
    ['2 hours behind', 2 * HOUR]
  ])(
    "runner clock %s GitHub's, offset passed on by the main step: every 50 minutes, never expired",
    async (_name, offset) => {
      const run = await simulate({ runnerSkewMs: -offset, startOffsetMs: offset })
      // 6 hours of hour-long tokens, each replaced when 10 minutes are left.
      expect(run.mints).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => n * 50 * MINUTE))
      expect(run.expiredFor).toBeLessThanOrEqual(0)
      // Each replaced token is revoked after its 30-second grace, by GitHub's clock.
      for (const [n, at] of run.mints.entries())
        expect(run.revoked.get(`tok-${n}`)).toBe(T0 + at + 30_000)
    }
  )

  test('an offset the refresher learns itself: one early mint, then every 50 minutes', async () => {
    // The runner is 2 hours fast and starts from no offset: the first token looks expired.
    const run = await simulate({ runnerSkewMs: 2 * HOUR, startOffsetMs: 0 })
    expect(run.mints).toEqual([0, 50, 100, 150, 200, 250, 300, 350].map((m) => m * MINUTE))
    expect(run.expiredFor).toBeLessThanOrEqual(0)
  })

  test('nothing to learn from (no Date header): never more than one mint a minute', async () => {
    const run = await simulate({ runnerSkewMs: 2 * HOUR, startOffsetMs: 0, dateHeaders: false })
    // Every token looks expired the moment it is minted: the floor alone holds the loop.
    expect(run.gaps.length).toBeGreaterThan(300)
    expect(Math.min(...run.gaps)).toBeGreaterThanOrEqual(MIN_MINT_INTERVAL_MS)
    expect(run.mints.length).toBeLessThanOrEqual(SPAN / MINUTE + 1)
  })

  test('a 30-minute outage: the file holds an expired token for at most the retry window after it', async () => {
    const outage: [number, number] = [T0 + 45 * MINUTE, T0 + 75 * MINUTE]
    const run = await simulate({ runnerSkewMs: 2 * HOUR, startOffsetMs: -2 * HOUR, outage })
    // tok-0 expired at 60 minutes; the first retry after the outage replaced it within 60 s.
    expect(run.expiredFor).toBeGreaterThan(0)
    expect(run.expiredFor).toBeLessThanOrEqual(outage[1] - (T0 + HOUR) + MINUTE)
    expect(run.mints[0]).toBeGreaterThanOrEqual(75 * MINUTE)
    expect(run.mints[0]).toBeLessThanOrEqual(76 * MINUTE)
    expect(Math.min(...run.gaps)).toBeGreaterThanOrEqual(MIN_MINT_INTERVAL_MS)
    // Failed attempts back off (5 s, doubling, at most a minute apart): no storm either.
    const failed = run.attempts.filter((at) => at < 75 * MINUTE)
    expect(failed.length).toBeLessThan(40)
  })
})

describe("refresh: the refresher's attempts keep learning GitHub's clock", () => {
  let fake: FakeGitHub
  beforeEach(async () => {
    fake = await startFakeGitHub()
    fake.addInstallation({ account: 'octo-org', repositories: ['app'], permissions: {} })
  })
  afterEach(async () => fake.close())

  test("a mint's reply moves the offset every later attempt uses", async () => {
    fake.clockSkewMs = 10 * MINUTE
    const config = { apiUrl: fake.url, appId: fake.app.clientId, installationId: 1000 }
    // The real clock: the App's JWT is signed on it, as in the process.
    const clock = systemClock()
    const time = createRefreshTime(0, clock)
    const requests = createRefresherRequests(
      config as RefresherConfig,
      createPrivateKey(fake.app.privateKey),
      createQuietLog(clock.now),
      { server: time.server, now: clock.now }
    )
    const minted = await requests.mint()
    // Within the Date header's second and the tolerance of the clock.
    expect(Math.abs(time.server.offsetMs() - 10 * MINUTE)).toBeLessThanOrEqual(3_000)
    expect(Math.abs(time.server.now() + HOUR - Date.parse(minted.expiresAt))).toBeLessThan(5_000)
    // The next attempt (a revocation) signs nothing with the key, but is judged on the same clock.
    fake.clockSkewMs = -10 * MINUTE
    expect(await requests.revoke(minted.token, { stopping: false })).toBe('revoked')
    expect(Math.abs(time.server.offsetMs() + 10 * MINUTE)).toBeLessThanOrEqual(3_000)
  })
})
