import { randomBytes } from 'node:crypto'
import type { GitHubClient } from '../github/create-octokit.js'
import { httpStatus } from '../github/describe-request-error.js'
import type { RunnerJitInputs, RunnerScope } from '../inputs.js'
import { runnersRoute } from './with-runner-admin-token.js'

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

/** GitHub's limit on runner names. */
const MAX_NAME_LENGTH = 64

/**
 * prefix-created-run-attempt-random, e.g. 'mint-token-toysk0-4242-1-a1b2c3': unique per attempt,
 * traceable to the run that made it, and carrying its creation time (unix seconds, base36), which
 * the REST API does not give, so that prune-runners can tell its age (see src/prune). Only a long
 * prefix is shortened to fit 64 characters: the parts after it are what make the name useful.
 */
export function generatedRunnerName(inputs: RunnerJitInputs, now: number): string {
  const created = Math.floor(now / 1000).toString(36)
  const random = randomBytes(3).toString('hex')
  const suffix = `-${created}-${inputs.run.id}-${inputs.run.attempt}-${random}`
  return inputs.jit.namePrefix.slice(0, Math.max(1, MAX_NAME_LENGTH - suffix.length)) + suffix
}

/**
 * Registers the runner and returns its JIT config. The POST is not idempotent, so it is never
 * retried as is: a 409 on a generated name gets one more try under a new name; on an explicit
 * name it is an error that names the runner already there.
 * https://docs.github.com/en/rest/actions/self-hosted-runners#create-configuration-for-a-just-in-time-runner-for-an-organization
 */
export async function generateJitConfig(
  github: GitHubClient,
  inputs: RunnerJitInputs,
  groupId: number,
  now: number
): Promise<JitConfig> {
  const explicit = inputs.jit.name
  for (let attempt = 1; ; attempt++) {
    const name = explicit ?? generatedRunnerName(inputs, now)
    try {
      return await postJitConfig(github, inputs, groupId, name)
    } catch (error) {
      const status = httpStatus(error)
      if (status === 409 && explicit) throw await nameTaken(github, inputs.scope, explicit)
      if (status === 409 && attempt === 1) continue
      // The request may have registered the runner before failing: don't leave it behind.
      if (status !== 409 && !explicit) await removeIfRegistered(github, inputs.scope, name)
      throw error
    }
  }
}

async function postJitConfig(
  github: GitHubClient,
  inputs: RunnerJitInputs,
  groupId: number,
  name: string
) {
  const { path, params } = runnersRoute(inputs.scope)
  const response = await github.request(`POST ${path}/generate-jitconfig`, {
    ...params,
    name,
    runner_group_id: groupId,
    labels: inputs.jit.labels,
    work_folder: inputs.jit.workFolder,
    // A retried POST could register a second runner: never let the retry hook repeat it.
    request: { retries: 0 }
  })
  const { runner, encoded_jit_config } = response.data as {
    runner: Runner
    encoded_jit_config: string
  }
  return { runner, encodedJitConfig: encoded_jit_config }
}

/** https://docs.github.com/en/rest/actions/self-hosted-runners#list-self-hosted-runners-for-an-organization */
export async function findRunnerByName(
  github: GitHubClient,
  scope: RunnerScope,
  name: string
): Promise<Runner | undefined> {
  const { path, params } = runnersRoute(scope)
  const response = await github.request(`GET ${path}`, { ...params, name, per_page: 100 })
  return (response.data as { runners: Runner[] }).runners.find((runner) => runner.name === name)
}

async function nameTaken(github: GitHubClient, scope: RunnerScope, name: string): Promise<Error> {
  const existing = await findRunnerByName(github, scope, name)
  const detail = existing
    ? ` (id ${existing.id}, ${existing.status ?? 'unknown status'}, ${existing.busy ? 'busy' : 'not busy'})`
    : ''
  return new Error(
    `A runner named '${name}' is already registered${detail}. Remove it (Settings → Actions → Runners) if it is stale, choose another 'runner-name', or leave 'runner-name' empty to get a unique generated name.`
  )
}

async function removeIfRegistered(
  github: GitHubClient,
  scope: RunnerScope,
  name: string
): Promise<void> {
  const { path, params } = runnersRoute(scope)
  try {
    const runner = await findRunnerByName(github, scope, name)
    if (runner)
      await github.request(`DELETE ${path}/{runner_id}`, { ...params, runner_id: runner.id })
  } catch {
    // Best effort: the original error is what the user needs to see.
  }
}
