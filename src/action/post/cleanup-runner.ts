import type { JitRunnerState, RegistrationTokenState } from '../state/minted-state.js'
import type { ActionContext } from '../action-context.js'
import { parseCommonInputs } from '../inputs/parse-inputs.js'
import { runnerScope } from '../../lib/parse/runner-scope.js'
import { writeSummary } from '../publish/write-summary.js'
import { neutralize } from '../../lib/text/neutralize.js'
import { removeRegisteredRunner } from '../../lib/runners/remove-registered-runner.js'
import { withRunnerAdminToken } from '../../lib/runners/with-runner-admin-token.js'

/**
 * Removes the JIT runner main registered, as 'runner-cleanup' says (state already checked). Every
 * reason to leave it is one info line; the caller turns errors into warnings.
 */
export async function cleanupRunner(
  ctx: ActionContext,
  state: RegistrationTokenState | JitRunnerState
): Promise<void> {
  const { core } = ctx
  if (state.kind === 'runner-registration') {
    core.info(
      `Registration tokens can't be revoked; this one expires on its own at ${state.expiresAt}.`
    )
    return
  }
  const label = `runner ${neutralize(state.runnerName)} (id ${state.runnerId})`
  if (state.cleanup === 'never') {
    core.info(
      `Leaving ${label} registered ('runner-cleanup: never'); an ephemeral runner removes itself after its job.`
    )
    return
  }
  // The App, its key and the runner's scope are read from the inputs again, never from state;
  // only those inputs, not the whole main step's set.
  const common = parseCommonInputs(ctx)
  const scope = runnerScope(common.target)
  const outcome = await withRunnerAdminToken(ctx, { ...common, scope }, (github) =>
    removeRegisteredRunner(github, scope, state)
  )
  core.info(`${outcome.replace('{runner}', label)}.`)
  if (state.summary && outcome.startsWith('Removed')) {
    await writeSummary(core, {
      title: 'mint-token: cleanup',
      rows: [['Runner', [{ code: state.runnerName }, ' removed']]]
    })
  }
}
