import type { RunnerScope } from '../../lib/requests.js'
import type { JitRunnerState, RegistrationTokenState } from '../state/minted-state.js'
import type { ActionContext } from '../action-context.js'
import type { GitHubClient } from '../../lib/transport/client-deps.js'
import { httpStatus } from '../../lib/transport/describe-request-error.js'
import { parseCommonInputs } from '../inputs/parse-inputs.js'
import { runnerScope } from '../../lib/parse/runner-scope.js'
import { writeSummary } from '../publish/write-summary.js'
import { neutralize } from '../../lib/text/neutralize.js'
import { deleteRunner, getRunner } from '../../lib/runners/runner-requests.js'
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
    removeRunner(github, scope, state)
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
  // Fields the reply may lack or mistype are judged as unknown, not trusted by type.
  const runner: { name?: unknown; busy?: unknown; status?: unknown } | undefined = await getRunner(
    github,
    scope,
    state.runnerId
  )
  if (!runner) return 'Nothing to remove: {runner} is already gone'
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
    if ((await deleteRunner(github, scope, state.runnerId)) === 'gone')
      return 'Nothing to remove: {runner} is already gone'
  } catch (error) {
    if (httpStatus(error) === 422) return 'Leaving {runner}: GitHub says it is busy (HTTP 422)'
    throw error
  }
  return 'Removed {runner}'
}
