import type { Context } from '../context.js'
import type { GitHubClient } from '../github/create-octokit.js'
import { InputError } from '../input-error.js'
import type { RunnerScope } from '../inputs.js'

export interface RunnerGroup {
  id: number
  name: string
  visibility?: string
  default?: boolean
  restricted_to_workflows?: boolean
}

/** GitHub's id of the default group, and the group of every repository runner. */
const DEFAULT_GROUP = 1

/**
 * Turns 'runner-group' into an ID: a number is used as is; a name, or nothing (the organization's
 * default group), is looked up in the organization's runner groups.
 * https://docs.github.com/en/rest/actions/self-hosted-runner-groups#list-self-hosted-runner-groups-for-an-organization
 */
export async function resolveRunnerGroup(
  ctx: Context,
  github: GitHubClient,
  scope: RunnerScope,
  wanted: number | string | undefined
): Promise<RunnerGroup> {
  if (typeof wanted === 'number') return { id: wanted, name: `id ${wanted}` }
  if (scope.kind === 'repo') return { id: DEFAULT_GROUP, name: 'Default' }
  const groups = await listGroups(github, scope.org)
  const group = wanted
    ? groups.find((g) => g.name.toLowerCase() === wanted.toLowerCase())
    : (groups.find((g) => g.default) ?? { id: DEFAULT_GROUP, name: 'Default' })
  if (!group) {
    const names = groups.map((g) => `'${g.name}' (${g.id})`).join(', ')
    throw new InputError(
      `Input 'runner-group' is '${wanted}', but the organization '${scope.org}' has no such runner group. Available: ${names}.`
    )
  }
  await warnIfOutOfReach(ctx, github, scope.org, group)
  return group
}

async function listGroups(github: GitHubClient, org: string): Promise<RunnerGroup[]> {
  const groups: RunnerGroup[] = []
  for (let page = 1; ; page++) {
    const { data } = await github.request('GET /orgs/{org}/actions/runner-groups', {
      org,
      per_page: 100,
      page
    })
    const batch = (data as { runner_groups: RunnerGroup[] }).runner_groups
    groups.push(...batch)
    if (batch.length < 100) return groups
  }
}

/** A runner in a group this workflow can't use would sit idle while the job waits: say so now. */
async function warnIfOutOfReach(
  ctx: Context,
  github: GitHubClient,
  org: string,
  group: RunnerGroup
) {
  if (group.restricted_to_workflows) {
    ctx.core.warning(
      `Runner group '${group.name}' is restricted to selected workflows; jobs of other workflows will not be sent to this runner.`
    )
  }
  const [owner, repo] = (ctx.run.repository ?? '').split('/')
  if (group.visibility !== 'selected' || owner?.toLowerCase() !== org.toLowerCase() || !repo) return
  // https://docs.github.com/en/rest/actions/self-hosted-runner-groups#list-repository-access-to-a-self-hosted-runner-group-in-an-organization
  const { data } = await github.request(
    'GET /orgs/{org}/actions/runner-groups/{runner_group_id}/repositories',
    {
      org,
      runner_group_id: group.id,
      per_page: 100
    }
  )
  const names = (data as { repositories: { name: string }[] }).repositories.map((r) =>
    r.name.toLowerCase()
  )
  if (!names.includes(repo.toLowerCase())) {
    ctx.core.warning(
      `Runner group '${group.name}' is not visible to ${owner}/${repo}; its jobs cannot use this runner.`
    )
  }
}
