import type { RunnerScope } from '../../lib/requests.js'
import type { JitRunnerState, RegistrationTokenState } from '../state/minted-state.js'
import type { ActionContext } from '../action-context.js'
import type { GitHubClient } from '../../lib/transport/client-deps.js'
import { httpStatus } from '../../lib/transport/describe-request-error.js'
import { parseInputs } from '../inputs/parse-inputs.js'
import { writeSummary } from '../publish/write-summary.js'
import { neutralize } from '../../lib/text/neutralize.js'
import { runnersRoute, withRunnerAdminToken } from '../../lib/runners/with-runner-admin-token.js'

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
  // The key is read from the inputs again, never from state.
  const inputs = parseInputs(ctx)
  if (inputs.tokenType !== 'runner-jit') return
  const outcome = await withRunnerAdminToken(ctx, inputs, (github) =>
    removeRunner(github, inputs.scope, state)
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
 * Only the runner main registered is removed: an id is reused by nothing else, but state can be
 * forged, so GitHub's runner with that id must still carry the name main registered.
 * https://docs.github.com/en/rest/actions/self-hosted-runners#get-a-self-hosted-runner-for-an-organization
 * https://docs.github.com/en/rest/actions/self-hosted-runners#delete-a-self-hosted-runner-from-an-organization
 */
async function removeRunner(
  github: GitHubClient,
  scope: RunnerScope,
  state: JitRunnerState
): Promise<string> {
  const { path, params } = runnersRoute(scope)
  const route = { ...params, runner_id: state.runnerId }
  let runner: { name?: unknown; busy?: unknown; status?: unknown }
  try {
    runner = (await github.request(`GET ${path}/{runner_id}`, route)).data as typeof runner
  } catch (error) {
    if (httpStatus(error) === 404) return 'Nothing to remove: {runner} is already gone'
    throw error
  }
  if (runner.name !== state.runnerName) {
    return `Leaving id ${state.runnerId} alone: GitHub's runner with that id is not named ${neutralize(state.runnerName)}, the runner the main step registered`
  }
  if (runner.busy === true) return 'Leaving {runner}: it is running a job'
  if (runner.busy !== false)
    return "Leaving {runner}: GitHub's reply does not say whether it is busy"
  if (state.cleanup === 'if-unused' && runner.status !== 'offline') {
    return `Leaving {runner}: it is ${neutralize(runner.status)} ('runner-cleanup: if-unused' removes only offline runners)`
  }
  try {
    await github.request(`DELETE ${path}/{runner_id}`, route)
  } catch (error) {
    if (httpStatus(error) === 404) return 'Nothing to remove: {runner} is already gone'
    if (httpStatus(error) === 422) return 'Leaving {runner}: GitHub says it is busy (HTTP 422)'
    throw error
  }
  return 'Removed {runner}'
}
