import type { Context } from '../context.js'
import { createOctokit } from '../github/create-octokit.js'

/**
 * Revokes the token with itself, so the post step needs no key.
 * https://docs.github.com/en/rest/apps/installations#revoke-an-installation-access-token
 */
export async function revokeInstallationToken(
  ctx: Context,
  apiUrl: string,
  token: string
): Promise<void> {
  await createOctokit(ctx, apiUrl, { auth: token }).request('DELETE /installation/token')
}
