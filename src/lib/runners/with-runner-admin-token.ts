import type { CommonRequest, RunnerScope } from '../requests.js'
import type { Deps } from '../seam/deps.js'
import type { GitHubClient } from '../transport/client-deps.js'
import { describeRequestError } from '../transport/describe-request-error.js'
import { createInstallationToken } from '../installation/create-installation-token.js'
import { revokeInstallationToken } from '../installation/revoke-installation-token.js'

/**
 * The one permission each scope's runner endpoints need. Repository runners need
 * 'administration', which is broad: the README recommends organization runners instead.
 */
export function runnerPermission(scope: RunnerScope): Record<string, string> {
  return scope.kind === 'org'
    ? { organization_self_hosted_runners: 'write' }
    : { administration: 'write' }
}

/**
 * Runs `use` with an installation token that has exactly the runner permission, scoped to the one
 * repository for repository runners, and revokes it straight after: it never leaves this step.
 * Like an installation token, it is refused before minting if the installation lacks the permission.
 * `use` also gets `forCleanup`: a client with the same token and a clean-up deadline of its own,
 * for undoing what a failed request may have done even when the step's budget is spent. The
 * revocation itself runs on such a deadline too. `withBudget` gives a client with the same token
 * and a budget of its own, for work whose size only the work knows (a fleet to prune).
 */
export async function withRunnerAdminToken<T>(
  ctx: Deps,
  inputs: CommonRequest & { scope: RunnerScope },
  use: (
    github: GitHubClient,
    forCleanup: () => GitHubClient,
    withBudget: (budgetMs: number) => GitHubClient
  ) => Promise<T>
): Promise<T> {
  const repositories = inputs.scope.kind === 'repo' ? [inputs.scope.repo] : undefined
  const target = { owner: inputs.target.owner, repositories }
  const neededFor = `what managing ${inputs.scope.kind === 'org' ? 'organization' : 'repository'} runners needs`
  const permissions = runnerPermission(inputs.scope)
  const minted = await createInstallationToken(ctx, { ...inputs, target, permissions, neededFor })
  ctx.log.mask(minted.token)
  const github = ctx.github.asToken(inputs.apiUrl, minted.token)
  const forCleanup = () => ctx.github.forCleanup().asToken(inputs.apiUrl, minted.token)
  const withBudget = (budgetMs: number) =>
    ctx.github.withBudget(budgetMs).asToken(inputs.apiUrl, minted.token)
  try {
    return await use(github, forCleanup, withBudget)
  } finally {
    await revokeIntermediate(ctx, inputs.apiUrl, minted)
  }
}

async function revokeIntermediate(
  ctx: Deps,
  apiUrl: string,
  minted: { token: string; expiresAt: string }
): Promise<void> {
  try {
    const outcome = await revokeInstallationToken(
      { github: ctx.github.forCleanup() },
      apiUrl,
      minted.token
    )
    if (outcome === 'already gone')
      ctx.log.info(
        'GitHub answered HTTP 401: the intermediate installation token is already revoked or expired.'
      )
  } catch (error) {
    ctx.log.warning(
      `Could not revoke the intermediate installation token (${describeRequestError(error)}); it expires at ${minted.expiresAt}.`
    )
  }
}
