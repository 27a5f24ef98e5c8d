/** A cancel of the job, as the runner delivers it to the step's process. */
export class CancelledError extends Error {
  constructor(readonly signal: 'SIGINT' | 'SIGTERM') {
    super(`The job was cancelled (${signal}) while the step was handing off what it minted.`)
  }
}

/**
 * On cancel the runner sends the step SIGINT, then SIGTERM (7.5 s later by default), then kills
 * it. Node's default for both is to die at once, which would leave a minted token valid and a
 * hand-off half done; so while there is something to undo (see withRollback), the step listens
 * and undoes it instead. `signal` stays aborted once a cancel came, so that nothing is published
 * after it.
 * https://github.com/actions/runner/blob/main/src/Runner.Sdk/ProcessInvoker.cs (CancelAndKillProcessTree)
 */
export interface Cancellation {
  readonly signal: AbortSignal
  /** Starts listening for the runner's signals; the returned function stops. */
  listen(): () => void
}

/** The process in production; tests pass an emitter, to signal at an exact point. */
interface SignalSource {
  on(event: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown
  off(event: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown
}

export function cancellationOf(source: SignalSource): Cancellation {
  const controller = new AbortController()
  const onSignal = (name: NodeJS.Signals) => {
    // A second signal (the runner's SIGTERM after its SIGINT) must not cut the undo short.
    if (!controller.signal.aborted)
      controller.abort(new CancelledError(name === 'SIGTERM' ? 'SIGTERM' : 'SIGINT'))
  }
  return {
    signal: controller.signal,
    listen() {
      source.on('SIGINT', onSignal)
      source.on('SIGTERM', onSignal)
      return () => {
        source.off('SIGINT', onSignal)
        source.off('SIGTERM', onSignal)
      }
    }
  }
}
