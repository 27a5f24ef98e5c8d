import { inputField, type Field } from '../field.js'
import type { RunnerCleanup, RunnerScope } from '../requests.js'
import type { GitHubClient } from '../transport/client-deps.js'
import { httpStatus } from '../transport/describe-request-error.js'
import { neutralize } from '../text/neutralize.js'
import { deleteRunner, getRunner } from './runner-requests.js'

/** A runner this tool registered, and what its clean-up may do to it. */
export interface RegisteredRunner {
  runnerId: number
  runnerName: string
  /** 'never' is the caller's to honour: this removes. */
  cleanup: RunnerCleanup
  /** How the reason names the setting: the action's 'runner-cleanup' unless given. */
  cleanupField?: Field
}

/**
 * Removes a runner as its clean-up says and tells what happened, with {runner} for the caller's
 * name of it. Only the runner that was registered is removed: an id is reused by nothing else,
 * but state can be forged, so GitHub's runner with that id must still carry the registered name.
 * https://docs.github.com/en/rest/actions/self-hosted-runners#get-a-self-hosted-runner-for-an-organization
 * https://docs.github.com/en/rest/actions/self-hosted-runners#delete-a-self-hosted-runner-from-an-organization
 */
export async function removeRegisteredRunner(
  github: GitHubClient,
  scope: RunnerScope,
  state: RegisteredRunner
): Promise<string> {
  // Fields the reply may lack or mistype are judged as unknown, not trusted by type.
  const runner: { name?: unknown; busy?: unknown; status?: unknown } | undefined = await getRunner(
    github,
    scope,
    state.runnerId
  )
  if (!runner) return 'Nothing to remove: {runner} is already gone'
  if (runner.name !== state.runnerName) {
    return `Leaving id ${state.runnerId} alone: GitHub's runner with that id is not named ${neutralize(state.runnerName)}, the runner that was registered`
  }
  if (runner.busy === true) return 'Leaving {runner}: it is running a job'
  if (runner.busy !== false)
    return "Leaving {runner}: GitHub's reply does not say whether it is busy"
  if (state.cleanup === 'if-unused' && runner.status !== 'offline') {
    return `Leaving {runner}: it is ${neutralize(runner.status)} ('${(state.cleanupField ?? inputField('runner-cleanup')).setting('if-unused')}' removes only offline runners)`
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
