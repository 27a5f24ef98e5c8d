import type { Context } from '../context.js'
import type { GitHubClient } from '../github/create-octokit.js'
import { describeRequestError } from '../github/describe-request-error.js'
import { createInstallationToken } from '../installation/create-installation-token.js'
import { revokeInstallationToken } from '../installation/revoke-installation-token.js'
import type { Inputs, RunnerScope } from '../inputs.js'

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
 */
export async function withRunnerAdminToken<T>(
  ctx: Context,
  inputs: Inputs & { scope: RunnerScope },
  use: (github: GitHubClient) => Promise<T>
): Promise<T> {
  const repositories = inputs.scope.kind === 'repo' ? [inputs.scope.repo] : undefined
  const target = { owner: inputs.target.owner, repositories }
  const neededFor = `what managing ${inputs.scope.kind === 'org' ? 'organization' : 'repository'} runners needs`
  const permissions = runnerPermission(inputs.scope)
  const minted = await createInstallationToken(ctx, { ...inputs, target, permissions, neededFor })
  ctx.core.setSecret(minted.token)
  const github = ctx.github.asToken(inputs.apiUrl, minted.token)
  try {
    return await use(github)
  } finally {
    await revokeInstallationToken(ctx, inputs.apiUrl, minted.token).catch((error: unknown) => {
      ctx.core.warning(
        `Could not revoke the intermediate installation token (${describeRequestError(error)}); it expires at ${minted.expiresAt}.`
      )
    })
  }
}

/** The REST path prefix of a scope's runners, and its parameters. */
export function runnersRoute(scope: RunnerScope): { path: string; params: Record<string, string> } {
  return scope.kind === 'org'
    ? { path: '/orgs/{org}/actions/runners', params: { org: scope.org } }
    : {
        path: '/repos/{owner}/{repo}/actions/runners',
        params: { owner: scope.owner, repo: scope.repo }
      }
}
