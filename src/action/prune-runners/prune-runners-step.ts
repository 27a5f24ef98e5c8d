import type { ActionContext } from '../action-context.js'
import { parseCommonInputs, readBoolean } from '../inputs/parse-inputs.js'
import { writeSummaryRows } from '../publish/write-summary.js'
import { withRunnerAdminToken } from '../../lib/runners/with-runner-admin-token.js'
import { describeScope } from '../../lib/runners/describe-scope.js'
import { parsePruneRequest } from '../../lib/parse/prune-request.js'
import { describeLeft, failedRunnersMessage } from '../../lib/prune/prune-result.js'
import { pruneRunners } from '../../lib/prune/prune-runners.js'
import { renderPruneResult } from './render-prune-result.js'

/**
 * The prune-runners sub-action: validate every input, then prune with an installation token that
 * has only the runner permission (revoked straight after), then publish outputs and the audit
 * table. Pruning is this step's job, so a runner that could not be removed fails it, at the end;
 * one left for the next run when the prune's time ran out does not.
 */
export async function pruneRunnersStep(ctx: ActionContext): Promise<void> {
  const { core } = ctx
  const common = parseCommonInputs(ctx)
  const inputs = parsePruneRequest({
    read: (name) => core.getInput(name),
    readBoolean: (name) => readBoolean(core, name),
    currentRepository: ctx.run.repository
  })
  const result = await withRunnerAdminToken(
    ctx,
    { ...common, scope: inputs.scope },
    (github, _forCleanup, withBudget) =>
      // GitHub's clock: it has been learned from the token's reply before any age is judged.
      pruneRunners(github, inputs, { logger: core, now: () => ctx.github.clock.now(), withBudget })
  )
  const { outputs, totals, table } = renderPruneResult(result, { dryRun: inputs.dryRun })
  core.setOutput('removed', outputs.removed)
  core.setOutput('kept', outputs.kept)
  core.setOutput('left', outputs.left)
  if (common.summary) {
    const left = result.left > 0 ? `: ${describeLeft(result.left)}` : ''
    const title = `mint-token: prune runners of ${describeScope(inputs.scope)}${inputs.dryRun ? ' (dry run)' : ''}${left}`
    await writeSummaryRows(core, title, table, { note: totals })
  }
  const failed = failedRunnersMessage(result)
  if (failed) throw new Error(failed)
}
