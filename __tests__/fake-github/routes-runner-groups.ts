/** Org runner groups: https://docs.github.com/en/rest/actions/self-hosted-runner-groups */
import { notFound, paginate, type Reply, type Route, type RouteContext } from './http.js'
import { requireOrgRunners } from './permissions.js'
import { repository } from './repository.js'
import { runnerGroup } from './representations.js'

function listGroups(ctx: RouteContext): Reply {
  requireOrgRunners(ctx)
  const groups = ctx.state.groupsOf(ctx.params.org ?? '')
  const { page, headers } = paginate(ctx, groups)
  const body = {
    total_count: groups.length,
    runner_groups: page.map((g) => runnerGroup(ctx.baseUrl, g))
  }
  return { status: 200, headers, body }
}

function listGroupRepositories(ctx: RouteContext): Reply {
  requireOrgRunners(ctx)
  const org = ctx.params.org ?? ''
  const group = ctx.state.groupsOf(org).find((g) => String(g.id) === ctx.params.runner_group_id)
  if (!group) throw notFound()
  const repos = group.selectedRepositories.map((name) =>
    repository(ctx.state, ctx.baseUrl, ctx.state.repo(org, name))
  )
  const { page, headers } = paginate(ctx, repos)
  return { status: 200, headers, body: { total_count: repos.length, repositories: page } }
}

export const runnerGroupRoutes: Route[] = [
  {
    method: 'GET',
    template: '/orgs/{org}/actions/runner-groups',
    auth: 'token',
    handle: listGroups
  },
  {
    method: 'GET',
    template: '/orgs/{org}/actions/runner-groups/{runner_group_id}/repositories',
    auth: 'token',
    handle: listGroupRepositories
  }
]
