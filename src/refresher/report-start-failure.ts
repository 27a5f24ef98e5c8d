import { neutralize } from '../lib/text/neutralize.js'
import { writeRefreshStatus } from '../lib/refresher-control/write-refresh-status.js'

/**
 * Records why the refresher did not start, in the status file (startRefresher reads it and
 * fails the main step with it). The problem never holds a secret: the configuration checks name
 * fields, not values, and file errors name the path.
 */
export function reportStartFailure(statusFile: string | undefined, problem: unknown): void {
  if (!statusFile) return
  const now = new Date().toISOString()
  const message = neutralize(problem instanceof Error ? problem.message : problem)
  try {
    writeRefreshStatus(statusFile, {
      pid: process.pid,
      state: 'failed',
      startedAt: now,
      updatedAt: now,
      refreshes: 0,
      failures: 0,
      lastError: message,
      revocations: 0,
      revocationFailures: 0,
      tokenHashes: [],
      log: []
    })
  } catch {
    // No status file: startRefresher reports that the refresher did not start.
  }
}
