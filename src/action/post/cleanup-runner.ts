import type { JitRunnerState, RegistrationTokenState } from '../state/minted-state.js'
import type { ActionContext } from '../action-context.js'
import { parseCommonInputs } from '../inputs/parse-inputs.js'
import { parseBrokerInputs } from '../inputs/parse-broker-inputs.js'
import type { BrokerSource } from '../../lib/requests.js'
import { brokerRemoveRunner, brokerRunnerStatus } from '../../lib/broker-client/broker-client.js'
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
  const broker = parseBrokerInputs((name) => core.getInput(name))
  if (broker) {
    const outcome = await removeThroughBroker(ctx, broker, state)
    core.info(`${outcome.replace('{runner}', label)}.`)
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

/**
 * The broker registered it, so the broker removes it (DELETE /v1/runners/{id}, a fresh OIDC
 * token): it refuses a busy runner, and GET /v1/runners says whether 'if-unused' allows it.
 */
async function removeThroughBroker(
  ctx: ActionContext,
  broker: BrokerSource,
  state: JitRunnerState
): Promise<string> {
  if (state.cleanup === 'if-unused') {
    const status = await brokerRunnerStatus(ctx, broker, state.runnerId)
    if (status === 'gone') return 'Nothing to remove: {runner} is already gone'
    if (status !== 'offline')
      return `Leaving {runner}: it is ${neutralize(status)} ('runner-cleanup: if-unused' removes only offline runners)`
  }
  const removed = await brokerRemoveRunner(ctx, broker, state.runnerId)
  return removed === 'removed'
    ? 'Removed {runner} through the broker'
    : 'Nothing to remove: {runner} is already gone'
}
