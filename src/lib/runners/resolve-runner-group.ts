import type { RunnerScope } from '../requests.js'
import type { Deps } from '../seam/deps.js'
import { requireInteger, requireObjects, requireString } from '../transport/check-reply.js'
import type { GitHubClient } from '../transport/client-deps.js'
import { stopAfterPages } from '../transport/stop-after-pages.js'
import { InputError } from '../input-error.js'
import { quoteInput } from '../text/quote-input.js'
import { neutralize } from '../text/neutralize.js'

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
  ctx: Deps,
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
    // Group names are GitHub's (foreign) text; the list is capped as a whole too.
    const names = neutralize(groups.map((g) => `'${neutralize(g.name, 100)}' (${g.id})`).join(', '))
    throw new InputError(
      `Input 'runner-group' is ${quoteInput(wanted ?? '')}, but the organization '${scope.org}' has no such runner group. Available: ${names}.`
    )
  }
  await warnIfOutOfReach(ctx, github, scope.org, group)
  return group
}

const LIST_GROUPS = 'GET /orgs/{org}/actions/runner-groups'

/** 100 pages of 100 groups bound a server that never stops sending a `next` link. */
const MAX_PAGES = 100

/** Every page, following GitHub's Link header; paginate hands each page's `runner_groups` over. */
async function listGroups(github: GitHubClient, org: string): Promise<RunnerGroup[]> {
  const stop = stopAfterPages(MAX_PAGES)
  return github
    .paginate(LIST_GROUPS, { org, per_page: 100 }, (response, done) => {
      stop(done)
      // paginate unwraps the list only when the reply has total_count; check it either way.
      const reply: unknown = response.data
      const list = Array.isArray(reply) ? { runner_groups: reply } : reply
      return requireObjects(list, 'runner_groups', LIST_GROUPS).map(toGroup)
    })
    .catch((error: unknown) => {
      // paginate throws a TypeError while unwrapping a reply whose list is missing or no object.
      if (error instanceof TypeError) requireObjects({}, 'runner_groups', LIST_GROUPS)
      throw error
    })
}

/** The id goes into the JIT request; the name is matched and printed; the rest is optional. */
function toGroup(data: Record<string, unknown>): RunnerGroup {
  const request = `${LIST_GROUPS} (runner_groups[])`
  return {
    id: requireInteger(data, 'id', request),
    name: requireString(data, 'name', request),
    visibility: typeof data.visibility === 'string' ? data.visibility : undefined,
    default: data.default === true,
    restricted_to_workflows: data.restricted_to_workflows === true
  }
}

/** A runner in a group this workflow can't use would sit idle while the job waits: say so now. */
async function warnIfOutOfReach(ctx: Deps, github: GitHubClient, org: string, group: RunnerGroup) {
  const name = neutralize(group.name)
  if (group.restricted_to_workflows) {
    ctx.log.warning(
      `Runner group '${name}' is restricted to selected workflows; jobs of other workflows will not be sent to this runner.`
    )
  }
  const [owner, repo] = (ctx.run.repository ?? '').split('/')
  if (group.visibility !== 'selected' || owner?.toLowerCase() !== org.toLowerCase() || !repo) return
  // https://docs.github.com/en/rest/actions/self-hosted-runner-groups#list-repository-access-to-a-self-hosted-runner-group-in-an-organization
  const route = 'GET /orgs/{org}/actions/runner-groups/{runner_group_id}/repositories'
  const { data } = await github.request(route, { org, runner_group_id: group.id, per_page: 100 })
  const names = requireObjects(data, 'repositories', route).map((r) =>
    requireString(r, 'name', `${route} (repositories[])`).toLowerCase()
  )
  if (!names.includes(repo.toLowerCase())) {
    ctx.log.warning(
      `Runner group '${name}' is not visible to ${owner}/${repo}; its jobs cannot use this runner.`
    )
  }
}
