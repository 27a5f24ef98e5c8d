import type { Context } from '../context.js'
import { createAppRequest } from '../github/create-app-request.js'
import { createOctokit, type GitHubClient } from '../github/create-octokit.js'
import { describeRequestError } from '../github/describe-request-error.js'
import { findInstallation, type Installation } from '../installation/find-installation.js'
import { mintInstallationToken } from '../installation/mint-installation-token.js'
import type { Inputs, RunnerScope } from '../inputs.js'
import { describeMissingPermissions, findMissingPermissions } from '../permissions/find-missing-permissions.js'

/**
 * The one permission each scope's runner endpoints need. Repository runners need
 * 'administration', which is broad: the README recommends organization runners instead.
 */
export function runnerPermission(scope: RunnerScope): Record<string, string> {
  return scope.kind === 'org' ? { organization_self_hosted_runners: 'write' } : { administration: 'write' }
}

/**
 * Runs `use` with an installation token that has exactly the runner permission, scoped to the one
 * repository for repository runners, and revokes it straight after: it never leaves this step.
 */
export async function withRunnerAdminToken<T>(
  ctx: Context,
  inputs: Inputs & { scope: RunnerScope },
  use: (github: GitHubClient, installation: Installation) => Promise<T>
): Promise<T> {
  const request = createAppRequest(ctx, inputs.apiUrl, inputs.app)
  const permissions = runnerPermission(inputs.scope)
  const repositories = inputs.scope.kind === 'repo' ? [inputs.scope.repo] : undefined
  const installation = await findInstallation(request, { owner: inputs.target.owner, repositories })
  const missing = findMissingPermissions(permissions, installation.permissions)
  if (missing.length > 0) throw new Error(describeMissingPermissions(missing, installation))
  const minted = await mintInstallationToken(request, installation.id, { repositories, permissions })
  ctx.core.setSecret(minted.token)
  const github = createOctokit(ctx, inputs.apiUrl, { auth: minted.token })
  try {
    return await use(github, installation)
  } finally {
    await github.request('DELETE /installation/token').catch((error: unknown) => {
      ctx.core.warning(`Could not revoke the intermediate installation token (${describeRequestError(error)}); it expires at ${minted.expiresAt}.`)
    })
  }
}

/** The REST path prefix of a scope's runners, and its parameters. */
export function runnersRoute(scope: RunnerScope): { path: string; params: Record<string, string> } {
  return scope.kind === 'org'
    ? { path: '/orgs/{org}/actions/runners', params: { org: scope.org } }
    : { path: '/repos/{owner}/{repo}/actions/runners', params: { owner: scope.owner, repo: scope.repo } }
}
