import { every, type Clock } from '../lib/refresher-control/clock.js'
import { isProcessAlive } from '../lib/refresher-control/is-process-alive.js'
import type { StopReason } from '../lib/refresher-control/refresh-status.js'

/** How often the refresher checks that the runner's worker is still there. */
const WORKER_POLL_MS = 5_000

/**
 * Aborts, with the reason, when the post step's SIGTERM comes (`terminate`: the process entry
 * turns the signal into it), when the runner's worker is gone ('parent gone': the job is over),
 * or at the deadline. Without a worker (none was found among the main step's ancestors) only
 * SIGTERM and the deadline count: a parent that is merely gone (a wrapper, `docker exec`) says
 * nothing about the job. `dispose` stops the watchers, so that the process can exit.
 */
export function createStopSignal(options: {
  terminate: AbortSignal
  workerPid?: number
  deadline: number
  clock: Pick<Clock, 'now' | 'after'>
}): { signal: AbortSignal; dispose: () => void } {
  const { terminate, workerPid, clock } = options
  const controller = new AbortController()
  const stop = (reason: StopReason) => controller.abort(reason)
  const onTerm = () => stop('SIGTERM')
  if (terminate.aborted) onTerm()
  terminate.addEventListener('abort', onTerm, { once: true })
  const poll =
    workerPid === undefined
      ? () => {}
      : every(clock, WORKER_POLL_MS, () => {
          if (!isProcessAlive(workerPid)) stop('parent gone')
        })
  const deadline = clock.after(options.deadline - clock.now(), () => stop('deadline'))
  const dispose = () => {
    terminate.removeEventListener('abort', onTerm)
    poll()
    deadline()
  }
  return { signal: controller.signal, dispose }
}
