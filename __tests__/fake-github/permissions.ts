/** Who may call the runner endpoints: the token's permissions, account and repositories. */
import { forbidden, type RouteContext } from './http.js'

const LEVELS: Record<string, number> = { read: 1, write: 2, admin: 3 }

function allows(ctx: RouteContext, permission: string): boolean {
  const granted = LEVELS[ctx.token?.permissions[permission] ?? ''] ?? 0
  return granted >= (ctx.method === 'GET' ? 1 : 2)
}

const same = (a: string | undefined, b: string | undefined): boolean =>
  a?.toLowerCase() === b?.toLowerCase()

/** Org runner endpoints need organization_self_hosted_runners on a token of that org's installation. */
export function requireOrgRunners(ctx: RouteContext): void {
  const token = ctx.token
  if (
    !token ||
    !same(token.installation.account.login, ctx.params.org) ||
    !allows(ctx, 'organization_self_hosted_runners')
  ) {
    throw forbidden()
  }
}

/** Repo runner endpoints need administration and the repository among the token's repositories. */
export function requireRepoAdmin(ctx: RouteContext): void {
  const token = ctx.token
  const repo = ctx.params.repo
  const covers =
    token !== undefined &&
    same(token.installation.account.login, ctx.params.owner) &&
    (token.repositories === 'all' || token.repositories.some((name) => same(name, repo)))
  if (!covers || !allows(ctx, 'administration')) throw forbidden()
}
