const FIRST_BACKOFF_MS = 5_000
const MAX_BACKOFF_MS = 60_000
/** The last try before the old token expires is this long before its expiry. */
const LAST_CHANCE_MS = 1_000

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
