/**
 * A runner's endpoints, as literal routes so that octokit types each response: the one place that
 * lists, reads and deletes runners, for pruning, the post step's clean-up and the JIT rollback.
 * Errors other than a 404 are thrown as GitHub gave them; each caller words them for its user
 * (pruning names the missing permission, see runnerPermissionError).
 */
import type { RunnerScope } from '../requests.js'
import type { components } from '@octokit/openapi-types'
import type { GitHubClient } from '../transport/client-deps.js'
import { httpStatus } from '../transport/describe-request-error.js'
import { stopAfterPages } from '../transport/stop-after-pages.js'

/** What pruning needs of a GitHub client: octokit's typed `request` and `paginate`. */
export type RunnersClient = Pick<GitHubClient, 'request' | 'paginate'>
export type GitHubRunner = components['schemas']['runner']

/** 100 pages of 100 (10,000 runners) bound a server that never stops sending a `next` link. */
const MAX_PAGES = 100

/**
 * Every runner of the scope (or those with that name), 100 a page, following GitHub's Link header.
 * https://docs.github.com/en/rest/actions/self-hosted-runners#list-self-hosted-runners-for-an-organization
 * https://docs.github.com/en/rest/actions/self-hosted-runners#list-self-hosted-runners-for-a-repository
 */
export async function listRunners(
  github: RunnersClient,
  scope: RunnerScope,
  filter: { name?: string } = {}
): Promise<GitHubRunner[]> {
  const stop = stopAfterPages(MAX_PAGES)
  const query = { ...filter, per_page: 100 }
  const eachPage = (response: { data: GitHubRunner[] }, done: () => void) => {
    stop(done)
    return response.data
  }
  return scope.kind === 'org'
    ? github.paginate('GET /orgs/{org}/actions/runners', { org: scope.org, ...query }, eachPage)
    : github.paginate(
        'GET /repos/{owner}/{repo}/actions/runners',
        { owner: scope.owner, repo: scope.repo, ...query },
        eachPage
      )
}

/**
 * The runner as it is now, or undefined if it is gone (404).
 * https://docs.github.com/en/rest/actions/self-hosted-runners#get-a-self-hosted-runner-for-an-organization
 * https://docs.github.com/en/rest/actions/self-hosted-runners#get-a-self-hosted-runner-for-a-repository
 */
export async function getRunner(
  github: RunnersClient,
  scope: RunnerScope,
  id: number
): Promise<GitHubRunner | undefined> {
  try {
    const { data } = await (scope.kind === 'org'
      ? github.request('GET /orgs/{org}/actions/runners/{runner_id}', {
          org: scope.org,
          runner_id: id
        })
      : github.request('GET /repos/{owner}/{repo}/actions/runners/{runner_id}', {
          owner: scope.owner,
          repo: scope.repo,
          runner_id: id
        }))
    return data
  } catch (error) {
    if (httpStatus(error) === 404) return undefined
    throw error
  }
}

/**
 * 'deleted', or 'gone' when it no longer exists (404). GitHub refuses a busy runner with 422,
 * which is thrown like any other error for the caller to explain.
 * https://docs.github.com/en/rest/actions/self-hosted-runners#delete-a-self-hosted-runner-from-an-organization
 * https://docs.github.com/en/rest/actions/self-hosted-runners#delete-a-self-hosted-runner-from-a-repository
 */
export async function deleteRunner(
  github: RunnersClient,
  scope: RunnerScope,
  id: number
): Promise<'deleted' | 'gone'> {
  try {
    await (scope.kind === 'org'
      ? github.request('DELETE /orgs/{org}/actions/runners/{runner_id}', {
          org: scope.org,
          runner_id: id
        })
      : github.request('DELETE /repos/{owner}/{repo}/actions/runners/{runner_id}', {
          owner: scope.owner,
          repo: scope.repo,
          runner_id: id
        }))
    return 'deleted'
  } catch (error) {
    if (httpStatus(error) === 404) return 'gone'
    throw error
  }
}
