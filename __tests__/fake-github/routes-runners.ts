/** Self-hosted runners: https://docs.github.com/en/rest/actions/self-hosted-runners */
import { encodedJitConfig } from './jit-config.js'
import {
  HttpError,
  isoSeconds,
  notFound,
  paginate,
  type Reply,
  type Route,
  type RouteContext
} from './http.js'
import { requireOrgRunners, requireRepoAdmin } from './permissions.js'
import { randomToken } from './random.js'
import { runner as runnerBody } from './representations.js'
import type { RunnerRecord, RunnerScope } from './types.js'

type Level = 'org' | 'repo'
const PREFIX: Record<Level, string> = { org: '/orgs/{org}', repo: '/repos/{owner}/{repo}' }

function scopeOf(ctx: RouteContext, level: Level): RunnerScope {
  if (level === 'org') {
    requireOrgRunners(ctx)
    return { org: ctx.params.org ?? '' }
  }
  requireRepoAdmin(ctx)
  return { owner: ctx.params.owner ?? '', repo: ctx.params.repo ?? '' }
}

function findRunner(ctx: RouteContext, scope: RunnerScope): RunnerRecord {
  const found = ctx.state.runnersIn(scope).find((r) => String(r.id) === ctx.params.runner_id)
  if (!found) throw notFound()
  return found
}

function registrationToken(ctx: RouteContext, level: Level): Reply {
  scopeOf(ctx, level)
  const token = `A${randomToken(28, 'upper')}`
  return { status: 201, body: { token, expires_at: isoSeconds(ctx.state.now() + 3600_000) } }
}

function validLabels(labels: unknown): labels is string[] {
  return (
    Array.isArray(labels) &&
    labels.length >= 1 &&
    labels.length <= 100 &&
    labels.every((l) => typeof l === 'string')
  )
}

function generateJitConfig(ctx: RouteContext, level: Level): Reply {
  const scope = scopeOf(ctx, level)
  const body = (ctx.body ?? {}) as {
    name?: unknown
    runner_group_id?: unknown
    labels?: unknown
    work_folder?: unknown
  }
  if (
    typeof body.name !== 'string' ||
    typeof body.runner_group_id !== 'number' ||
    !validLabels(body.labels)
  ) {
    throw new HttpError(
      422,
      'Invalid request.\n\nname, runner_group_id and 1 to 100 labels are required.'
    )
  }
  if ('org' in scope && !ctx.state.groupsOf(scope.org).some((g) => g.id === body.runner_group_id))
    throw notFound()
  const name = body.name
  if (ctx.state.runnersIn(scope).some((r) => r.name.toLowerCase() === name.toLowerCase())) {
    throw new HttpError(409, `Already exists - A runner with the name ${name} already exists.`)
  }
  const runner = ctx.state.addRunner({
    name,
    scope,
    labels: [...body.labels],
    runnerGroupId: body.runner_group_id,
    status: 'offline',
    busy: false,
    os: 'unknown'
  })
  const gitHubUrl = `https://github.com/${'org' in scope ? scope.org : `${scope.owner}/${scope.repo}`}`
  const workFolder = typeof body.work_folder === 'string' ? body.work_folder : '_work'
  return {
    status: 201,
    body: {
      runner: runnerBody(runner),
      encoded_jit_config: encodedJitConfig(runner, { gitHubUrl, workFolder })
    }
  }
}

function listRunners(ctx: RouteContext, level: Level): Reply {
  const scope = scopeOf(ctx, level)
  const name = ctx.query.name
  const matching = ctx.state.runnersIn(scope).filter((r) => name === undefined || r.name === name)
  const { page, headers } = paginate(ctx, matching)
  return {
    status: 200,
    headers,
    body: { total_count: matching.length, runners: page.map(runnerBody) }
  }
}

function getRunner(ctx: RouteContext, level: Level): Reply {
  return { status: 200, body: runnerBody(findRunner(ctx, scopeOf(ctx, level))) }
}

function deleteRunner(ctx: RouteContext, level: Level): Reply {
  const runner = findRunner(ctx, scopeOf(ctx, level))
  if (runner.busy)
    throw new HttpError(422, `Bad request - Runner "${runner.name}" is still running a job"`)
  ctx.state.removeRunner(runner.id)
  return { status: 204 }
}

function routesFor(level: Level): Route[] {
  const base = `${PREFIX[level]}/actions/runners`
  const route = (
    method: string,
    suffix: string,
    handler: (ctx: RouteContext, level: Level) => Reply
  ): Route => ({
    method,
    template: base + suffix,
    auth: 'token',
    handle: (ctx) => handler(ctx, level)
  })
  return [
    route('POST', '/registration-token', registrationToken),
    route('POST', '/generate-jitconfig', generateJitConfig),
    route('GET', '', listRunners),
    route('GET', '/{runner_id}', getRunner),
    route('DELETE', '/{runner_id}', deleteRunner)
  ]
}

export const runnerRoutes: Route[] = [...routesFor('org'), ...routesFor('repo')]
