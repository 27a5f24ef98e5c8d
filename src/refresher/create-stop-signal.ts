import { isProcessAlive } from '../lib/refresher-control/is-process-alive.js'
import type { StopReason } from '../lib/refresher-control/refresh-status.js'

/** How often the refresher checks that the runner's worker is still there. */
const WORKER_POLL_MS = 5_000

/**
 * Aborts, with the reason, when the post step sends SIGTERM, when the runner's worker is gone
 * ('parent gone': the job is over), or at the deadline. Without a worker (none was found among
 * the main step's ancestors) only SIGTERM and the deadline count: a parent that is merely gone
 * (a wrapper, `docker exec`) says nothing about the job. `dispose` removes the handler and the
 * timers, so that the process can exit.
 */
export function createStopSignal(options: { workerPid?: number; deadline: number }): {
  signal: AbortSignal
  dispose: () => void
} {
  const controller = new AbortController()
  const stop = (reason: StopReason) => controller.abort(reason)
  const onTerm = () => stop('SIGTERM')
  process.on('SIGTERM', onTerm)
  const { workerPid } = options
  const poll =
    workerPid === undefined
      ? undefined
      : setInterval(() => {
          if (!isProcessAlive(workerPid)) stop('parent gone')
        }, WORKER_POLL_MS)
  const untilDeadline = Math.max(options.deadline - Date.now(), 0)
  // setTimeout holds at most 2^31 - 1 ms (24.8 days); the deadline is hours away.
  const deadline = setTimeout(() => stop('deadline'), Math.min(untilDeadline, 2 ** 31 - 1))
  const dispose = () => {
    process.off('SIGTERM', onTerm)
    clearInterval(poll)
    clearTimeout(deadline)
  }
  return { signal: controller.signal, dispose }
}
