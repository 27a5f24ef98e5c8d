/**
 * Who the App is and what its token may still spend:
 * https://docs.github.com/en/rest/users/users#get-a-user (the App's bot user, `<slug>[bot]`)
 * https://docs.github.com/en/rest/rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user
 */
import { isoSeconds, notFound, type Route, type RouteContext } from './http.js'
import { simpleUser } from './repository.js'

/** The public-user shape: simple-user plus the profile fields GitHub returns for a bot. */
function publicUser(ctx: RouteContext, login: string, type: string): Record<string, unknown> {
  const created = isoSeconds(Date.UTC(2020, 0, 1))
  return {
    ...simpleUser(ctx.baseUrl, login, ctx.state.accountId(login), type),
    name: null,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: created,
    updated_at: created
  }
}

function getUser(ctx: RouteContext): ReturnType<Route['handle']> {
  const login = ctx.params.username ?? ''
  if (login.toLowerCase() === `${ctx.app.slug}[bot]`.toLowerCase()) {
    return { status: 200, body: publicUser(ctx, `${ctx.app.slug}[bot]`, 'Bot') }
  }
  const installation = ctx.state.installationFor(login)
  if (!installation) throw notFound()
  return {
    status: 200,
    body: publicUser(ctx, installation.account.login, installation.account.type)
  }
}

/** Fixed budgets, reset an hour from now; asking does not count against them, as on GitHub. */
function rateLimit(ctx: RouteContext): ReturnType<Route['handle']> {
  const reset = Math.floor(ctx.state.now() / 1000) + 3600
  const limit = (total: number, used: number) => ({
    limit: total,
    used,
    remaining: total - used,
    reset
  })
  const core = limit(5000, 12)
  return {
    status: 200,
    body: {
      resources: { core, graphql: limit(5000, 0), search: limit(30, 0) },
      rate: core
    }
  }
}

export const identityRoutes: Route[] = [
  { method: 'GET', template: '/users/{username}', auth: 'token', handle: getUser },
  { method: 'GET', template: '/rate_limit', auth: 'token', handle: rateLimit }
]
