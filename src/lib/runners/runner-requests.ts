/**
 * GitHub's self-hosted runner endpoints, as literal routes so that octokit types each request: the
 * one place that registers (a JIT configuration, a registration token), lists, reads and deletes
 * runners, for the main step, pruning, the post step's clean-up and the JIT rollback.
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

/** The JIT runner to register; GitHub's own field names. */
export interface JitRegistration {
  name: string
  runner_group_id: number
  labels: string[]
  work_folder: string
}

/**
 * Registers a just-in-time runner. Never retried: a repeated POST could register a second runner.
 * The reply is returned unchecked, with the route for the caller's checks and messages.
 * https://docs.github.com/en/rest/actions/self-hosted-runners#create-configuration-for-a-just-in-time-runner-for-an-organization
 * https://docs.github.com/en/rest/actions/self-hosted-runners#create-configuration-for-a-just-in-time-runner-for-a-repository
 */
export async function requestJitConfig(
  github: Pick<GitHubClient, 'request'>,
  scope: RunnerScope,
  registration: JitRegistration
): Promise<{ data: unknown; route: string }> {
  const request = { retries: 0 }
  const { data } = await (scope.kind === 'org'
    ? github.request('POST /orgs/{org}/actions/runners/generate-jitconfig', {
        org: scope.org,
        ...registration,
        request
      })
    : github.request('POST /repos/{owner}/{repo}/actions/runners/generate-jitconfig', {
        owner: scope.owner,
        repo: scope.repo,
        ...registration,
        request
      }))
  return { data, route: `POST ${pathOf(scope)}/generate-jitconfig` }
}

/**
 * A registration token for config.sh; the reply unchecked, with the route for the caller's checks.
 * https://docs.github.com/en/rest/actions/self-hosted-runners#create-a-registration-token-for-an-organization
 * https://docs.github.com/en/rest/actions/self-hosted-runners#create-a-registration-token-for-a-repository
 */
export async function createRegistrationToken(
  github: Pick<GitHubClient, 'request'>,
  scope: RunnerScope
): Promise<{ data: unknown; route: string }> {
  const { data } = await (scope.kind === 'org'
    ? github.request('POST /orgs/{org}/actions/runners/registration-token', { org: scope.org })
    : github.request('POST /repos/{owner}/{repo}/actions/runners/registration-token', {
        owner: scope.owner,
        repo: scope.repo
      }))
  return { data, route: `POST ${pathOf(scope)}/registration-token` }
}

/**
 * The first page of runners with this name, unchecked, with the route for the caller's checks: a
 * name is unique within a scope, so one page holds it.
 * https://docs.github.com/en/rest/actions/self-hosted-runners#list-self-hosted-runners-for-an-organization
 * https://docs.github.com/en/rest/actions/self-hosted-runners#list-self-hosted-runners-for-a-repository
 */
export async function listRunnersNamed(
  github: Pick<GitHubClient, 'request'>,
  scope: RunnerScope,
  name: string
): Promise<{ data: unknown; route: string }> {
  const query = { name, per_page: 100 }
  const { data } = await (scope.kind === 'org'
    ? github.request('GET /orgs/{org}/actions/runners', { org: scope.org, ...query })
    : github.request('GET /repos/{owner}/{repo}/actions/runners', {
        owner: scope.owner,
        repo: scope.repo,
        ...query
      }))
  return { data, route: `GET ${pathOf(scope)}` }
}

/** The REST path of a scope's runners, as GitHub's docs write it (for messages). */
function pathOf(scope: RunnerScope): string {
  return scope.kind === 'org'
    ? '/orgs/{org}/actions/runners'
    : '/repos/{owner}/{repo}/actions/runners'
}
