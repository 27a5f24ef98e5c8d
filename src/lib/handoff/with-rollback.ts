import type { Deps } from '../seam/deps.js'
import { describeRequestError } from '../transport/describe-request-error.js'
import { CancelledError } from '../seam/cancellation.js'
import type { Undo } from './hand-off.js'

/** Why main undid everything it minted: a failure, or the runner's cancel (its signal). */
export type UndoCause = 'failure' | CancelledError['signal']

/**
 * Runs `work`; if it fails, or the runner cancels the job meanwhile, runs every undo step (last
 * first) before rethrowing, so a failed or cancelled main step leaves no token, file, process or
 * runner behind. A cancel does not wait for `work` (it may be waiting on GitHub): the undo starts
 * at once, and steps that `work` still adds are undone too; nothing is published after a cancel
 * (see publish). An undo step that fails is a warning: the original error is what the user must
 * see. When every step was undone, the state says so, and the post step does not undo it again.
 */
export async function withRollback(
  ctx: Pick<Deps, 'log' | 'cancellation'>,
  undo: Undo,
  work: (undo: Undo) => Promise<void>,
  options: {
    /** Tells the post step not to undo again (the action saves it as state). */
    markUndone: (by: UndoCause) => void
  }
): Promise<void> {
  const stopListening = ctx.cancellation.listen()
  try {
    await untilCancelled(ctx.cancellation.signal, work(undo))
  } catch (error) {
    const cancel = error instanceof CancelledError ? error.signal : undefined
    const undid = undo.length > 0
    if ((await undoAll(ctx, undo)) && undid) markUndone(options, cancel ?? 'failure')
    if (undid)
      ctx.log.info(
        `${cancel ? `The job was cancelled (${cancel})` : 'The step failed'} after minting; what it had minted and set up is undone.`
      )
    throw error
  } finally {
    stopListening()
  }
}

/** Settles with `work`, or rejects with the cancel as soon as it comes. */
function untilCancelled(signal: AbortSignal, work: Promise<void>): Promise<void> {
  // After a cancel, what `work` still does ends in an error nobody waits for.
  work.catch(() => {})
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error)
    if (signal.aborted) onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

/**
 * Last first, until the list is empty: `work`, still running after a cancel, may add steps while
 * earlier ones are undone. Whether every step succeeded.
 */
async function undoAll(ctx: Pick<Deps, 'log'>, undo: Undo): Promise<boolean> {
  let complete = true
  for (let step = undo.pop(); step; step = undo.pop()) {
    try {
      await step()
    } catch (undoError) {
      complete = false
      ctx.log.warning(
        `Could not undo a step of the failed mint (${describeRequestError(undoError)}).`
      )
    }
  }
  return complete
}

/** If the post step can't be told, it undoes again (and is told 401). */
function markUndone(options: Parameters<typeof withRollback>[3], by: UndoCause): void {
  try {
    options.markUndone(by)
  } catch {
    // The original error is what the user must see; a second undo only costs a request.
  }
}
