import type { RefreshTime } from './time.js'

/**
 * When the refresher acts: pure functions of the token's times (GitHub's, in ms since the epoch)
 * and the failures so far.
 */

/** The longest a token is kept before it is refreshed: 10 minutes of its life are left. */
export const MAX_REFRESH_LEAD_MS = 10 * 60_000

/**
 * The least time between two mints of one refresher, on the runner's monotonic clock. GitHub's
 * tokens live an hour and are replaced every 50 minutes, so this never delays a refresh that
 * the clocks schedule right; it stops a loop when they do not (a token that looks expired the
 * moment it is minted was once minted and revoked hundreds of times a second).
 */
export const MIN_MINT_INTERVAL_MS = 60_000

const FIRST_BACKOFF_MS = 5_000
const MAX_BACKOFF_MS = 60_000
/** The last try before the old token expires is this long before its expiry. */
const LAST_CHANCE_MS = 1_000

/**
 * How long a replaced token stays valid: a command that read the file just before the swap can
 * finish with it. The issue asks for revocation within 60 s of the swap; 30 s is well inside.
 */
export const GRACE_MS = 30_000
/** A token about to expire is revoked this long before, while GitHub still accepts it. */
const BEFORE_EXPIRY_MS = 5_000

/**
 * When to replace a token: once min(10 minutes, a third of its lifetime) of it remains. GitHub's
 * tokens live an hour, so that is 50 minutes in; a third keeps short-lived tokens (as in tests)
 * refreshed well before they expire.
 */
export function refreshDueAt(token: { mintedAt: number; expiresAt: number }): number {
  const lifetime = Math.max(token.expiresAt - token.mintedAt, 0)
  return token.expiresAt - Math.min(MAX_REFRESH_LEAD_MS, lifetime / 3)
}

/**
 * When to try again after `failures` failed refreshes in a row: 5 s, doubling, capped at 60 s,
 * and never later than just before the old token (still in the file) expires, so that a short
 * outage costs no expired file. Once it has expired, the back-off alone decides.
 */
export function nextRetryAt(failures: number, now: number, expiresAt: number): number {
  const backoff = Math.min(FIRST_BACKOFF_MS * 2 ** Math.max(failures - 1, 0), MAX_BACKOFF_MS)
  const lastChance = expiresAt - LAST_CHANCE_MS
  return now < lastChance ? Math.min(now + backoff, lastChance) : now + backoff
}

/**
 * GitHub's time at which the next mint may start: when it is due, and not sooner than a minute
 * after the last mint, however GitHub's and the runner's clocks move.
 */
export function attemptAt(
  loop: { nextAttemptAt: number; lastMintAt?: number },
  time: Pick<RefreshTime, 'server' | 'monotonic'>
): number {
  if (loop.lastMintAt === undefined) return loop.nextAttemptAt
  const floorIn = loop.lastMintAt + MIN_MINT_INTERVAL_MS - time.monotonic()
  return Math.max(loop.nextAttemptAt, time.server.now() + Math.max(floorIn, 0))
}

/**
 * When to revoke a replaced token: after the grace, or just before it expires if that is sooner;
 * never before now. GitHub's times: on the runner's clock alone, a clock ahead would see every
 * token as about to expire and revoke the replaced one at once, under a reader that just took it.
 */
export function revokeAtFor(now: number, expiresAt: number): number {
  return Math.max(now, Math.min(now + GRACE_MS, expiresAt - BEFORE_EXPIRY_MS))
}
