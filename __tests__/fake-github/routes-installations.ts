/** App and installation endpoints: https://docs.github.com/en/rest/apps/apps */
import { installationToken } from './random.js'
import {
  HttpError,
  isoSeconds,
  notFound,
  unprocessable,
  type Route,
  type RouteContext
} from './http.js'
import { installation, integration } from './representations.js'
import { repository } from './repository.js'
import type { Installation, IssuedToken, TokenFormat } from './types.js'

const LEVELS: Record<string, number> = { read: 1, write: 2, admin: 3 }
const NOT_ACCESSIBLE =
  'There is at least one repository that does not exist or is not accessible to the parent installation.'

function lookup(ctx: RouteContext, found: Installation | undefined): ReturnType<Route['handle']> {
  if (!found) throw notFound()
  return { status: 200, body: installation(ctx.state, ctx.baseUrl, ctx.app, found) }
}

function repoInstallation(ctx: RouteContext): ReturnType<Route['handle']> {
  const found = ctx.state.installationFor(ctx.params.owner ?? '')
  const covers = found && ctx.state.installedRepo(found, ctx.params.repo ?? '') !== undefined
  return lookup(ctx, covers ? found : undefined)
}

function grantedPermissions(i: Installation, requested: unknown): Record<string, string> {
  if (requested === undefined) return { ...i.permissions }
  const wanted = requested as Record<string, unknown>
  for (const [name, level] of Object.entries(wanted)) {
    const have = LEVELS[i.permissions[name] ?? ''] ?? 0
    const want = typeof level === 'string' ? LEVELS[level] : undefined
    if (want === undefined || have < want) {
      throw unprocessable('The permissions requested are not granted to this installation.')
    }
  }
  return wanted as Record<string, string>
}

function requestedRepositories(ctx: RouteContext, i: Installation): string[] | undefined {
  const body = (ctx.body ?? {}) as { repositories?: unknown; repository_ids?: unknown }
  if (body.repositories === undefined && body.repository_ids === undefined) return undefined
  const names = Array.isArray(body.repositories) ? body.repositories.map(String) : []
  const ids = Array.isArray(body.repository_ids) ? body.repository_ids.map(Number) : []
  if (names.length + ids.length > 500) {
    throw unprocessable('The maximum number of repositories (500) has been exceeded.')
  }
  const fromIds = ids.map((id) => {
    const repo = ctx.state.repoById(id)
    return repo && repo.owner.toLowerCase() === i.account.login.toLowerCase() ? repo.name : `#${id}`
  })
  const resolved = [...names, ...fromIds].map((name) => ctx.state.installedRepo(i, name))
  if (resolved.some((name) => name === undefined)) throw unprocessable(NOT_ACCESSIBLE)
  return [...new Set(resolved as string[])]
}

/**
 * GitHub's temporary per-request override of its format rollout: 'enabled' forces a stateless
 * token, 'disabled' a classic one; absent, or any other value (GitHub ignores it), the
 * installation's own format (the rollout's decision for it).
 * https://github.blog/changelog/2026-05-15-github-app-installation-tokens-per-request-override-header/
 */
function formatFor(ctx: RouteContext, i: Installation): TokenFormat {
  const header = ctx.state.knowsFormatHeader ? ctx.headers['x-github-stateless-s2s-token'] : ''
  if (header === 'enabled') return 'stateless'
  if (header === 'disabled') return 'classic'
  return i.tokenFormat
}

function createToken(ctx: RouteContext): ReturnType<Route['handle']> {
  const i = ctx.state.installations.find((x) => String(x.id) === ctx.params.installation_id)
  if (!i) throw notFound()
  const body = (ctx.body ?? {}) as { permissions?: unknown }
  const permissions = grantedPermissions(i, body.permissions)
  const requested = requestedRepositories(ctx, i)
  const selection = requested ? 'selected' : i.repositorySelection
  const repositories = requested ?? (selection === 'all' ? 'all' : [...i.repositories])
  const expiresAt = new Date(Math.floor(ctx.state.now() / 1000) * 1000 + ctx.state.tokenLifetimeMs)
  const claims = { appId: ctx.app.id, installationId: i.id, expiresAt }
  const token = installationToken(formatFor(ctx, i), claims)
  const issued: IssuedToken = {
    installationId: i.id,
    permissions,
    repositories,
    expiresAt,
    revoked: false
  }
  ctx.state.tokens.set(token, issued)
  const repoBodies =
    repositories === 'all'
      ? undefined
      : repositories.map((name) =>
          repository(ctx.state, ctx.baseUrl, ctx.state.repo(i.account.login, name))
        )
  const response = {
    token,
    expires_at: isoSeconds(expiresAt.getTime()),
    permissions,
    repository_selection: selection
  }
  return { status: 201, body: repoBodies ? { ...response, repositories: repoBodies } : response }
}

function revoke(ctx: RouteContext): ReturnType<Route['handle']> {
  if (!ctx.token) throw new HttpError(401, 'Bad credentials')
  ctx.token.record.revoked = true
  return { status: 204 }
}

export const installationRoutes: Route[] = [
  {
    method: 'GET',
    template: '/app',
    auth: 'jwt',
    handle: (ctx) => ({ status: 200, body: integration(ctx.state, ctx.baseUrl, ctx.app) })
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/installation',
    auth: 'jwt',
    handle: repoInstallation
  },
  {
    method: 'GET',
    template: '/orgs/{org}/installation',
    auth: 'jwt',
    handle: (ctx) => lookup(ctx, ctx.state.installationFor(ctx.params.org ?? ''))
  },
  {
    method: 'GET',
    template: '/users/{username}/installation',
    auth: 'jwt',
    handle: (ctx) => lookup(ctx, ctx.state.installationFor(ctx.params.username ?? ''))
  },
  {
    method: 'GET',
    template: '/enterprises/{enterprise}/installation',
    auth: 'jwt',
    handle: (ctx) => {
      // An older GHES does not have the route: its 404 looks like any other.
      if (!ctx.state.knowsEnterpriseEndpoint) throw notFound()
      const slug = (ctx.params.enterprise ?? '').toLowerCase()
      const found = ctx.state.installations.find(
        (i) => i.account.type === 'Enterprise' && i.account.login.toLowerCase() === slug
      )
      return lookup(ctx, found)
    }
  },
  {
    method: 'GET',
    template: '/app/installations',
    auth: 'jwt',
    handle: (ctx) => {
      const perPage = Math.min(100, Number(ctx.query.per_page ?? 30) || 30)
      const page = Math.max(1, Number(ctx.query.page ?? 1) || 1)
      const all = ctx.state.installations.slice((page - 1) * perPage, page * perPage)
      return { status: 200, body: all.map((i) => installation(ctx.state, ctx.baseUrl, ctx.app, i)) }
    }
  },
  {
    method: 'GET',
    template: '/app/installations/{installation_id}',
    auth: 'jwt',
    handle: (ctx) =>
      lookup(
        ctx,
        ctx.state.installations.find((x) => String(x.id) === ctx.params.installation_id)
      )
  },
  {
    method: 'POST',
    template: '/app/installations/{installation_id}/access_tokens',
    auth: 'jwt',
    handle: createToken
  },
  { method: 'DELETE', template: '/installation/token', auth: 'token', handle: revoke }
]
