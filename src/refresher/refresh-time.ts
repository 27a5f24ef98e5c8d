import { performance } from 'node:perf_hooks'
import { createServerClock, type ServerClock } from '../lib/transport/server-clock.js'
import { sleepUntil } from './sleep-until.js'

/**
 * Time as the refresher sees it, behind one seam so that tests run its loop on a simulated clock.
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
}

/** The production clock, starting from the offset the main step learned. */
export function createRefreshTime(clockOffsetMs: number): RefreshTime {
  const server = createServerClock(() => Date.now(), { offsetMs: clockOffsetMs })
  return {
    server,
    monotonic: () => performance.now(),
    sleepUntil: (at, signal) => sleepUntil(at, signal, () => server.now())
  }
}
