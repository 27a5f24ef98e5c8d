import { createServerClock } from '../../../src/lib/transport/server-clock.js'
import { attemptAt } from '../../../src/refresher/schedule.js'
import { nextRetryAt } from '../../../src/refresher/schedule.js'
import { refreshDueAt } from '../../../src/refresher/schedule.js'

/** When the refresher acts: pure functions of the token's times and the failures so far. */

const T = Date.parse('2026-06-01T12:00:00Z')
const MINUTE = 60_000

describe('refresh: when a token is replaced', () => {
  test("GitHub's one-hour token: when 10 minutes are left", () => {
    expect(refreshDueAt({ mintedAt: T, expiresAt: T + 60 * MINUTE })).toBe(T + 50 * MINUTE)
  })

  test('a short-lived token: when a third of its life is left', () => {
    expect(refreshDueAt({ mintedAt: T, expiresAt: T + 30_000 })).toBe(T + 20_000)
    expect(refreshDueAt({ mintedAt: T, expiresAt: T + 15 * MINUTE })).toBe(T + 10 * MINUTE)
  })

  test('a token minted "after" its expiry (a skewed clock): due at once', () => {
    expect(refreshDueAt({ mintedAt: T, expiresAt: T - 1_000 })).toBe(T - 1_000)
  })
})

describe('refresh: when a failed refresh is tried again', () => {
  const far = T + 60 * MINUTE
  test('5 s, doubling, capped at 60 s', () => {
    const waits = [1, 2, 3, 4, 5, 6].map((failures) => nextRetryAt(failures, T, far) - T)
    expect(waits).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000])
  })

  test('never later than just before the old token expires', () => {
    expect(nextRetryAt(5, T, T + 30_000)).toBe(T + 29_000)
    expect(nextRetryAt(1, T, T + 3_000)).toBe(T + 2_000)
  })

  test('once the old token has expired, the back-off alone', () => {
    expect(nextRetryAt(2, T, T - 1)).toBe(T + 10_000)
    expect(nextRetryAt(2, T, T + 500)).toBe(T + 10_000)
  })
})

describe('refresh: never two mints within a minute', () => {
  // GitHub's time is T; the runner's monotonic clock reads 500 s.
  const time = { server: createServerClock(() => T), monotonic: () => 500_000 }

  test('a refresh due long ago (an expires_at already past) waits out the minute', () => {
    const loop = { nextAttemptAt: T - 2 * 60 * MINUTE, lastMintAt: 500_000 - 20_000 }
    expect(attemptAt(loop, time)).toBe(T + 40_000)
  })

  test('a refresh due after the minute is not moved; before any mint, nothing holds it', () => {
    expect(attemptAt({ nextAttemptAt: T + 50 * MINUTE, lastMintAt: 0 }, time)).toBe(T + 50 * MINUTE)
    expect(attemptAt({ nextAttemptAt: T - MINUTE }, time)).toBe(T - MINUTE)
  })
})
