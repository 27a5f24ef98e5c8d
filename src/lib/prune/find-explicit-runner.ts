import type { Field } from '../field.js'
import type { ExplicitRunner, RunnerScope } from '../requests.js'
import { neutralize } from '../text/neutralize.js'
import { describeScope } from '../runners/describe-scope.js'
import { getRunner, listRunners } from './prune-requests.js'
import type { GitHubRunner, RunnersClient } from '../runners/runner-requests.js'

/**
 * The runner 'runner-id' or 'runner-name' names (`field`: how the front end calls it), as GitHub
 * shows it now: this GET (or the list filtered by name) is the fresh look right before its DELETE. It may be online or offline; one
 * that is missing or busy is an error naming it, since the workflow asked for exactly this runner.
 */
export async function findExplicitRunner(
  github: RunnersClient,
  scope: RunnerScope,
  explicit: ExplicitRunner,
  field: Field
): Promise<GitHubRunner> {
  const runner =
    explicit.by === 'id'
      ? await getRunner(github, scope, explicit.id)
      : (await listRunners(github, scope, { name: explicit.name })).find(
          (r) => r.name.toLowerCase() === explicit.name.toLowerCase()
        )
  if (!runner) {
    const which = explicit.by === 'id' ? `with id ${explicit.id}` : `named '${explicit.name}'`
    throw new Error(
      `No runner ${which} is registered with ${describeScope(scope)}, so nothing was removed. Check ${field.name} (Settings → Actions → Runners lists them).`
    )
  }
  if (runner.busy) throw busyRunnerError(runner)
  return runner
}

export function busyRunnerError(runner: Pick<GitHubRunner, 'id' | 'name'>): Error {
  return new Error(
    `Runner '${neutralize(runner.name)}' (id ${runner.id}) is running a job, so it was not removed: a busy runner is never removed. Run this again once its job is done, or cancel the job first.`
  )
}
