import type { RunnerJitRequest, RunnerScope } from '../requests.js'
import { randomBytes } from 'node:crypto'
import type { Deps } from '../seam/deps.js'
import type { GitHubClient } from '../transport/client-deps.js'
import { describeRequestError, httpStatus } from '../transport/describe-request-error.js'
import { requireInteger, requireObjects, requireString } from '../transport/check-reply.js'
import { neutralize } from '../text/neutralize.js'
import { MAX_RUNNER_NAME_LENGTH } from './runner-name-format.js'
import { deleteRunner, listRunnersNamed, requestJitConfig } from './runner-requests.js'

export interface Runner {
  id: number
  name: string
  status?: string
  busy?: boolean
}

export interface JitConfig {
  runner: Runner
  encodedJitConfig: string
}

/**
 * prefix-created-run-attempt-random, e.g. 'mint-token-toysk0-4242-1-a1b2c3': unique per attempt,
 * traceable to the run that made it, and carrying its creation time (unix seconds, base36, on
 * GitHub's clock), which the REST API does not give, so that prune-runners can tell its age (see
 * src/prune). The prefix is never shortened (its length is checked as an input, see
 * MAX_PREFIX_LENGTH); a run id beyond what that allows is refused rather than cut.
 */
export function generatedRunnerName(inputs: RunnerJitRequest, now: number): string {
  const created = Math.floor(now / 1000).toString(36)
  const random = randomBytes(3).toString('hex')
  const name = `${inputs.jit.namePrefix}-${created}-${inputs.run.id}-${inputs.run.attempt}-${random}`
  if (name.length <= MAX_RUNNER_NAME_LENGTH) return name
  throw new Error(
    `The generated runner name '${name}' is longer than GitHub's ${MAX_RUNNER_NAME_LENGTH} characters; set a shorter 'runner-name-prefix' or a 'runner-name'.`
  )
}

/** The intermediate token's clients: the step's, and one on a clean-up deadline of its own. */
export interface RunnerAdminClients {
  github: GitHubClient
  forCleanup: () => GitHubClient
}

/**
 * Registers the runner and returns its JIT config. The POST is not idempotent, so it is never
 * retried as is. A 409 on a generated name gets one more try under a new name; on an explicit
 * name it is an error that names the runner already there. Any other failure may have
 * registered the runner all the same: a generated name is removed (by the clean-up client, so a
 * spent budget does not leave it behind), and after a lost reply there is one more try under a
 * new name. An explicit name is not removed, as another job may have registered it meanwhile:
 * after a lost reply or a 5xx the error says what is there and how to remove it.
 * https://docs.github.com/en/rest/actions/self-hosted-runners#create-configuration-for-a-just-in-time-runner-for-an-organization
 */
export async function generateJitConfig(
  ctx: Pick<Deps, 'log' | 'github'>,
  clients: RunnerAdminClients,
  inputs: RunnerJitRequest,
  groupId: number
): Promise<JitConfig> {
  const explicit = inputs.jit.name
  for (let attempt = 1; ; attempt++) {
    const name = explicit ?? generatedRunnerName(inputs, ctx.github.clock.now())
    try {
      return await postJitConfig(clients.github, inputs, groupId, name)
    } catch (error) {
      if (explicit) throw await explicitNameFailure(clients, inputs.scope, explicit, error)
      const status = httpStatus(error)
      if (status === 409 && attempt === 1) continue
      if (status === 409) throw error
      const lost = noReply(error)
      const why = `Registering runner '${name}' got no usable answer (${describeRequestError(error)})`
      if (lost) ctx.log.info(`${why}; removing it if GitHub registered it.`)
      const removed = await removeIfRegistered(ctx, clients.forCleanup(), inputs.scope, name)
      if (!lost) throw error
      if (removed && attempt === 1) ctx.log.info('Trying once more under a new name.')
      else throw new Error(`${why}.`, { cause: error })
    }
  }
}

/** No HTTP answer at all: reset, refused or timed out (octokit gives those no `response`). */
function noReply(error: unknown): boolean {
  return httpStatus(error) !== undefined && (error as { response?: unknown }).response === undefined
}

async function postJitConfig(
  github: GitHubClient,
  inputs: RunnerJitRequest,
  groupId: number,
  name: string
) {
  const { data, route } = await requestJitConfig(github, inputs.scope, {
    name,
    runner_group_id: groupId,
    labels: inputs.jit.labels,
    work_folder: inputs.jit.workFolder
  })
  // The id and name go to outputs and state, and the post step deletes by them.
  const runner = {
    id: requireInteger(data, 'runner.id', route),
    name: requireString(data, 'runner.name', route)
  }
  return { runner, encodedJitConfig: requireString(data, 'encoded_jit_config', route) }
}

/** The runner of that name, from its reply checked for the fields used. */
export async function findRunnerByName(
  github: GitHubClient,
  scope: RunnerScope,
  name: string
): Promise<Runner | undefined> {
  const { data, route } = await listRunnersNamed(github, scope, name)
  const found = requireObjects(data, 'runners', route).find((runner) => runner.name === name)
  if (!found) return undefined
  return {
    id: requireInteger(found, 'id', `${route} (runners[])`),
    name,
    status: typeof found.status === 'string' ? found.status : undefined,
    busy: found.busy === true
  }
}

/**
 * The error for a failed registration under an explicit 'runner-name'. After no reply or a 5xx
 * GitHub may have registered it; it is looked up (on the clean-up deadline) but not removed.
 */
async function explicitNameFailure(
  clients: RunnerAdminClients,
  scope: RunnerScope,
  name: string,
  error: unknown
): Promise<unknown> {
  const status = httpStatus(error)
  if (status === 409) return nameTaken(clients.github, scope, name)
  if (!noReply(error) && (status ?? 0) < 500) return error
  const why = `Registering runner '${name}' got no usable answer (${describeRequestError(error)})`
  let runner: Runner | undefined
  try {
    runner = await findRunnerByName(clients.forCleanup(), scope, name)
  } catch (lookup) {
    return new Error(
      `${why}, and whether GitHub registered it could not be checked (${describeRequestError(lookup)}). If '${name}' is listed under Settings → Actions → Runners, remove it, then run the job again.`
    )
  }
  if (!runner)
    return new Error(`${why}, and no runner of that name is registered. Run the job again.`)
  const where = scope.kind === 'org' ? `orgs/${scope.org}` : `repos/${scope.owner}/${scope.repo}`
  return new Error(
    `${why}, but a runner of that name is now registered (id ${runner.id}). Remove it (Settings → Actions → Runners, or 'gh api -X DELETE ${where}/actions/runners/${runner.id}'), then run the job again.`
  )
}

async function nameTaken(github: GitHubClient, scope: RunnerScope, name: string): Promise<Error> {
  const existing = await findRunnerByName(github, scope, name)
  const detail = existing
    ? ` (id ${existing.id}, ${neutralize(existing.status ?? 'unknown status')}, ${existing.busy ? 'busy' : 'not busy'})`
    : ''
  return new Error(
    `A runner named '${name}' is already registered${detail}. Remove it (Settings → Actions → Runners) if it is stale, choose another 'runner-name', or leave 'runner-name' empty to get a unique generated name.`
  )
}

/**
 * Removes the runner `name` if the failed request registered it; false when that could not be
 * done or checked (a warning then says what to remove by hand).
 */
async function removeIfRegistered(
  ctx: Pick<Deps, 'log'>,
  github: GitHubClient,
  scope: RunnerScope,
  name: string
): Promise<boolean> {
  try {
    const runner = await findRunnerByName(github, scope, name)
    if (!runner) return true
    // Gone between the look and the DELETE: nothing is left to remove either.
    if ((await deleteRunner(github, scope, runner.id)) === 'deleted')
      ctx.log.info(
        `Removed runner '${name}' (id ${runner.id}), which the failed request registered.`
      )
    return true
  } catch (error) {
    ctx.log.warning(
      `Could not check whether GitHub registered runner '${name}' before the request failed (${describeRequestError(error)}). If it is listed under Settings → Actions → Runners, remove it.`
    )
    return false
  }
}
