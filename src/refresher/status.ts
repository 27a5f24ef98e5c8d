import type { Log } from '../lib/log.js'
import type { RefreshStatus } from '../lib/refresher-control/refresh-status.js'
import { writeRefreshStatus } from '../lib/refresher-control/write-refresh-status.js'
import { neutralize } from '../lib/text/neutralize.js'

/**
 * What the refresher tells: it runs detached, with stdout and stderr closed, and must never print.
 * All it has to say goes to its status file: counts, hashes, and its last log lines.
 */

/** A Log that prints nothing: the refresher has no log, only its status file's last lines. */
export interface QuietLog extends Log {
  /** The latest log lines, oldest first, masked and neutralized. */
  readonly lines: string[]
  /** A line as it would be recorded: secrets masked, neutralized, capped. */
  clean(text: unknown): string
}

const KEPT_LINES = 20

/**
 * The refresher's log. Log calls (ours, and the retry and auth lines of the GitHub clients)
 * become lines for the status file, stamped with `now`. mask() hides a value as the runner would,
 * so a token or key that ever reached a message would show as ***.
 */
export function createQuietLog(now: () => number): QuietLog {
  const secrets = new Set<string>()
  const lines: string[] = []
  const clean = (text: unknown) => {
    let flat = text instanceof Error ? text.message : String(text)
    for (const secret of secrets) flat = flat.split(secret).join('***')
    return neutralize(flat)
  }
  const log = (level: string) => (message: unknown) => {
    lines.push(`${new Date(now()).toISOString()} ${level}: ${clean(message)}`)
    if (lines.length > KEPT_LINES) lines.splice(0, lines.length - KEPT_LINES)
  }
  return {
    lines,
    clean,
    mask: (secret: string) => void (secret && secrets.add(secret)),
    info: log('info'),
    debug: log('debug'),
    warning: log('warning')
  }
}

export interface StatusRecorder {
  readonly status: Readonly<RefreshStatus>
  /** Applies the change and rewrites the status file, with the latest log lines. */
  update(change: (status: Readonly<RefreshStatus>) => Partial<RefreshStatus>): void
}

/** A status with nothing done yet, stamped `at`. */
function freshStatus(at: string): RefreshStatus {
  return {
    pid: process.pid,
    state: 'running',
    startedAt: at,
    updatedAt: at,
    refreshes: 0,
    failures: 0,
    revocations: 0,
    revocationFailures: 0,
    tokenHashes: [],
    log: []
  }
}

/**
 * Keeps the refresher's status and writes it after every change. A status file that cannot be
 * written (a full disk) does not stop the refresher: refreshing the token matters more than
 * reporting on it, and there is nowhere else to say so.
 */
export function createStatusRecorder(
  statusFile: string,
  log: QuietLog,
  now: () => number,
  initial: Partial<RefreshStatus> = {}
): StatusRecorder {
  const stamp = () => new Date(now()).toISOString()
  let status: RefreshStatus = { ...freshStatus(stamp()), ...initial }
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
      status = { ...status, ...change(status), updatedAt: stamp(), log: [...log.lines] }
      write()
    }
  }
}

/**
 * Records why the refresher did not start, in the status file (startRefresher reads it and
 * fails the main step with it). The problem never holds a secret: the configuration checks name
 * fields, not values, and file errors name the path.
 */
export function reportStartFailure(
  statusFile: string | undefined,
  problem: unknown,
  now: () => number
): void {
  if (!statusFile) return
  const lastError = neutralize(problem instanceof Error ? problem.message : problem)
  try {
    writeRefreshStatus(statusFile, {
      ...freshStatus(new Date(now()).toISOString()),
      state: 'failed',
      lastError
    })
  } catch {
    // No status file: startRefresher reports that the refresher did not start.
  }
}
