import type { RefreshLoopState } from './refresh-loop-state.js'
import type { RefreshTime } from './refresh-time.js'

/**
 * The least time between two mints of one refresher, on the runner's monotonic clock. GitHub's
 * tokens live an hour and are replaced every 50 minutes, so this never delays a refresh that
 * the clocks schedule right; it stops a loop when they do not (a token that looks expired the
 * moment it is minted was once minted and revoked hundreds of times a second).
 */
export const MIN_MINT_INTERVAL_MS = 60_000

/**
 * GitHub's time at which the next mint may start: when it is due, and not sooner than a minute
 * after the last mint, however GitHub's and the runner's clocks move.
 */
export function attemptAt(
  loop: Pick<RefreshLoopState, 'nextAttemptAt' | 'lastMintAt'>,
  time: Pick<RefreshTime, 'server' | 'monotonic'>
): number {
  if (loop.lastMintAt === undefined) return loop.nextAttemptAt
  const floorIn = loop.lastMintAt + MIN_MINT_INTERVAL_MS - time.monotonic()
  return Math.max(loop.nextAttemptAt, time.server.now() + Math.max(floorIn, 0))
}
