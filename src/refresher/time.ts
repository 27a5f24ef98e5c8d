import type { Clock } from '../lib/refresher-control/clock.js'
import { createServerClock, type ServerClock } from '../lib/transport/server-clock.js'

/**
 * Time as the refresher sees it, all from one Clock (the process's real one, a test's fake one).
 * Schedules and expiry are GitHub's (a token's `expires_at` is on GitHub's clock); the floor
 * between mints is the runner's monotonic time, which no clock, skewed or stepped, can move.
 */
export interface RefreshTime {
  /** GitHub's clock: the runner's plus the offset learned from replies, shared by all attempts. */
  server: ServerClock
  /** The runner's monotonic clock, in ms from an arbitrary start. */
  monotonic(): number
  /** Waits until GitHub's time `at`, or until the signal aborts; never throws. */
  sleepUntil(at: number, signal: AbortSignal): Promise<void>
  /** Waits `ms` (a stop's budget), or until the signal aborts; never throws. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/** Long waits are cut into steps of at most this, so that a clock changed under a sleeping
 * process (a suspended VM) is noticed within a minute. */
const SLEEP_STEP_MS = 60_000

/** The refresher's time on `clock`, starting from the offset the main step learned. */
export function createRefreshTime(clockOffsetMs: number, clock: Clock): RefreshTime {
  const server = createServerClock(() => clock.now(), { offsetMs: clockOffsetMs })
  return {
    server,
    monotonic: () => clock.monotonic(),
    sleep: (ms, signal) => clock.sleep(ms, signal),
    async sleepUntil(at, signal) {
      while (!signal.aborted && server.now() < at)
        await clock.sleep(Math.min(at - server.now(), SLEEP_STEP_MS), signal)
    }
  }
}
