import type { RunnerScope } from '../requests.js'
import { runnerPermissionError } from '../runners/runner-permission-error.js'
import * as runners from '../runners/runner-requests.js'
import type { GitHubRunner, RunnersClient } from '../runners/runner-requests.js'

/**
 * The runner requests as pruning sends them (runner-requests.ts): a refusal becomes the message
 * that names the App permission pruning needs (see runnerPermissionError).
 */
const worded =
  (scope: RunnerScope, doing: string) =>
  (error: unknown): never => {
    throw runnerPermissionError(error, scope, doing)
  }

export function listRunners(
  github: RunnersClient,
  scope: RunnerScope,
  filter: { name?: string } = {}
): Promise<GitHubRunner[]> {
  return runners.listRunners(github, scope, filter).catch(worded(scope, 'list the runners'))
}

export function getRunner(
  github: RunnersClient,
  scope: RunnerScope,
  id: number
): Promise<GitHubRunner | undefined> {
  return runners.getRunner(github, scope, id).catch(worded(scope, `read runner ${id}`))
}

export function deleteRunner(
  github: RunnersClient,
  scope: RunnerScope,
  id: number
): Promise<'deleted' | 'gone'> {
  return runners.deleteRunner(github, scope, id).catch(worded(scope, `remove runner ${id}`))
}
