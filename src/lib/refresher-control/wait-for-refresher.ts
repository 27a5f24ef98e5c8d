import { readFileSync } from 'node:fs'
import type { Clock } from './clock.js'
import { isProcessAlive } from './is-process-alive.js'
import type { RefreshStatus } from './refresh-status.js'

const POLL_MS = 20

/**
 * Waits for the refresher's first status: 'running' is a start; 'failed' carries the reason it
 * could not start (a bad configuration, an unreadable token file). A refresher that is silent
 * past the timeout is killed, so that a failed start leaves no process behind.
 */
export async function waitForRefresher(
  statusFile: string,
  pid: number,
  timeoutMs: number,
  clock: Pick<Clock, 'now' | 'sleep'>
): Promise<void> {
  const until = clock.now() + timeoutMs
  for (;;) {
    const alive = isProcessAlive(pid)
    // Read after the liveness check: a refresher that failed wrote its status before exiting.
    const status = readStatus(statusFile)
    if (status?.pid === pid && status.state === 'failed')
      throw new Error(
        `The token refresher did not start: ${status.lastError ?? 'no reason given'}.`
      )
    if (status?.pid === pid) return
    if (!alive) throw new Error('The token refresher exited at once, without a status file.')
    if (clock.now() >= until) {
      kill(pid)
      throw new Error(`The token refresher did not report within ${timeoutMs / 1000} s.`)
    }
    await clock.sleep(POLL_MS)
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // Gone already.
  }
}

function readStatus(statusFile: string): Partial<RefreshStatus> | undefined {
  try {
    return JSON.parse(readFileSync(statusFile, 'utf8')) as Partial<RefreshStatus>
  } catch {
    return undefined
  }
}
