import type { ActionContext } from '../action-context.js'
import { saveState, type SavedState } from '../state/post-state.js'
import { writeSummary, type SummaryTable } from './write-summary.js'

export interface Publication {
  /** Every secret value; each is masked before anything else happens. */
  secrets: string[]
  outputs: Record<string, string>
  /** Variables for the later steps of the job (GITHUB_ENV). */
  exports?: Record<string, string>
  /** Directories for the later steps' PATH (GITHUB_PATH). */
  paths?: string[]
  /** What the post step needs (see SavedState). */
  state: Partial<SavedState>
  summary?: SummaryTable
}

/**
 * The one place that hands results to the runner, in the order that keeps secrets safe:
 * masking only hides what is printed after it, so mask → outputs → state → exported variables and
 * PATH → summary. Variables and PATH come after the state because the runner applies GITHUB_ENV
 * and GITHUB_PATH even when the step fails: once they are written, the post step must be able to
 * find and undo what they use.
 * Nothing but the masks is published after the runner cancelled the job: what it would name is
 * being undone.
 */
export async function publish(
  { core, cancellation }: Pick<ActionContext, 'core' | 'cancellation'>,
  publication: Publication
): Promise<void> {
  // Masking first, even after a cancel: a secret is masked whatever happens next (the undo
  // after a cancel may log about it); only the outputs, state and the rest are withheld.
  for (const secret of publication.secrets) core.setSecret(secret)
  cancellation.signal.throwIfAborted()
  for (const [name, value] of Object.entries(publication.outputs)) core.setOutput(name, value)
  saveState(core, publication.state)
  for (const [name, value] of Object.entries(publication.exports ?? {}))
    core.exportVariable(name, value)
  for (const dir of publication.paths ?? []) core.addPath(dir)
  if (publication.summary) await writeSummary(core, publication.summary)
}
