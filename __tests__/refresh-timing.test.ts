import { nextRetryAt } from '../src/refresh/next-retry-at.js'
import { refreshDueAt } from '../src/refresh/refresh-due-at.js'

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
