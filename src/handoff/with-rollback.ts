import type { Context } from '../context.js'
import { describeRequestError } from '../github/describe-request-error.js'
import type { Undo } from './hand-off.js'

/**
 * Runs `work`; if it fails, runs every undo step (last first) before rethrowing, so a failed main
 * step leaves no token, file, process or runner behind. An undo step that fails is a warning:
 * the original error is what the user must see.
 */
export async function withRollback(
  ctx: Context,
  undo: Undo,
  work: (undo: Undo) => Promise<void>
): Promise<void> {
  try {
    await work(undo)
  } catch (error) {
    for (const step of [...undo].reverse()) {
      try {
        await step()
      } catch (undoError) {
        ctx.core.warning(
          `Could not undo a step of the failed mint (${describeRequestError(undoError)}).`
        )
      }
    }
    if (undo.length > 0)
      ctx.core.info('The step failed after minting; what it had minted and set up is undone.')
    throw error
  }
}
