import type { QuietLog } from './quiet-log.js'
import type { RefreshStatus } from '../lib/refresher-control/refresh-status.js'
import { writeRefreshStatus } from '../lib/refresher-control/write-refresh-status.js'

export interface StatusRecorder {
  readonly status: Readonly<RefreshStatus>
  /** Applies the change and rewrites the status file, with the latest log lines. */
  update(change: (status: Readonly<RefreshStatus>) => Partial<RefreshStatus>): void
}

/**
 * Keeps the refresher's status and writes it after every change. A status file that cannot be
 * written (a full disk) does not stop the refresher: refreshing the token matters more than
 * reporting on it, and there is nowhere else to say so.
 */
export function createStatusRecorder(
  statusFile: string,
  log: QuietLog,
  initial: Partial<RefreshStatus> = {}
): StatusRecorder {
  const now = () => new Date().toISOString()
  let status: RefreshStatus = {
    pid: process.pid,
    state: 'running',
    startedAt: now(),
    updatedAt: now(),
    refreshes: 0,
    failures: 0,
    revocations: 0,
    revocationFailures: 0,
    tokenHashes: [],
    log: [],
    ...initial
  }
  const write = () => {
    try {
      writeRefreshStatus(statusFile, status)
    } catch {
      // See above: nowhere to report it.
    }
  }
  write()
  return {
    get status() {
      return status
    },
    update(change) {
      status = { ...status, ...change(status), updatedAt: now(), log: [...log.lines] }
      write()
    }
  }
}
