/**
 * GitHub's clock, as far as this process knows it: the runner's clock plus the offset learned
 * from the `Date` header of GitHub's replies. Expiry and age are GitHub's to judge (a token's
 * `expires_at`, a runner's creation time), so they are compared with `now()`, never with the
 * runner's clock alone, which may be minutes off.
 * https://www.rfc-editor.org/rfc/rfc9110#name-date
 */
export interface ServerClock {
  /** GitHub's time now, in milliseconds since the epoch. */
  now(): number
  /** GitHub's clock minus the runner's, in milliseconds; 0 until a reply with a Date came. */
  offsetMs(): number
  /** Learns from one reply's Date header; a missing or unparsable one teaches nothing. */
  learn(dateHeader: string | null | undefined): void
}

/**
 * The Date header counts whole seconds and is stamped before the reply travels, so one reading
 * is up to ~1 s behind. Readings within this of the known offset are that noise, not a new skew:
 * keeping the offset steady keeps the App's JWT client from being rebuilt on every reply.
 */
export const SKEW_TOLERANCE_MS = 2_000

/**
 * A clock from the runner's `now` and, where an earlier process learned it (the main step, for
 * the refresher), the offset it starts from.
 */
export function createServerClock(
  runnerNow: () => number,
  options: { offsetMs?: number } = {}
): ServerClock {
  let offset = Number.isFinite(options.offsetMs) ? (options.offsetMs as number) : 0
  return {
    now: () => runnerNow() + offset,
    offsetMs: () => offset,
    learn(dateHeader) {
      const serverTime = typeof dateHeader === 'string' ? Date.parse(dateHeader) : NaN
      if (Number.isNaN(serverTime)) return
      const measured = serverTime - runnerNow()
      if (Math.abs(measured - offset) > SKEW_TOLERANCE_MS) offset = measured
    }
  }
}
