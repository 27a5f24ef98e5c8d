import { systemClock, type Clock } from './clock.js'
import { commandLineOf } from './command-line-of.js'
import { isProcessAlive } from './is-process-alive.js'
import { REFRESHER_MARKER } from './refresher-marker.js'
import { STOP_TIMEOUT_MS } from './stop-budget.js'

export type StopOutcome = 'stopped' | 'not running' | 'not ours'

const POLL_MS = 50

/**
 * The post step's stop: only a process whose command line carries the refresher's marker and
 * this run's nonce is signalled (a pid can be reused once the refresher is gone). SIGTERM, then
 * up to 10 s for it to exit (it revokes what it holds, a mint under way included, within 8 s:
 * see stop-budget.ts), SIGKILL as the last resort. The outcome is for one log line:
 * 'not ours' means a process with that pid exists but is another one, and was left alone.
 * The waits are on `options.clock` (the real one unless a test passes its own).
 */
export async function stopRefresher(
  state: { pid: number; nonce: string },
  options: { timeoutMs?: number; clock?: Pick<Clock, 'now' | 'sleep'> } = {}
): Promise<StopOutcome> {
  const { pid, nonce } = state
  const clock = options.clock ?? systemClock()
  if (!Number.isSafeInteger(pid) || pid <= 1 || !isProcessAlive(pid)) return 'not running'
  const args = commandLineOf(pid)
  // Alive but unreadable (another user's, or /proc mounted with hidepid): it cannot be ours.
  if (!args) return isProcessAlive(pid) ? 'not ours' : 'not running'
  const at = args.indexOf(REFRESHER_MARKER)
  if (!nonce || at < 0 || args[at + 1] !== nonce) return 'not ours'
  if (!signal(pid, 'SIGTERM')) return 'not running'
  if (await exited(pid, options.timeoutMs ?? STOP_TIMEOUT_MS, clock)) return 'stopped'
  signal(pid, 'SIGKILL')
  await exited(pid, 1_000, clock)
  return 'stopped'
}

/** false when the process is gone already. */
function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name)
    return true
  } catch {
    return false
  }
}

async function exited(
  pid: number,
  timeoutMs: number,
  clock: Pick<Clock, 'now' | 'sleep'>
): Promise<boolean> {
  const until = clock.now() + timeoutMs
  while (isProcessAlive(pid)) {
    if (clock.now() >= until) return false
    await clock.sleep(POLL_MS)
  }
  return true
}
