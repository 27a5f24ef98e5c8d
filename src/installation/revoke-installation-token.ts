import type { Context } from '../context.js'

/**
 * Revokes the token with itself, so the post step needs no key.
 * https://docs.github.com/en/rest/apps/installations#revoke-an-installation-access-token
 */
export async function revokeInstallationToken(
  ctx: Pick<Context, 'github'>,
  apiUrl: string,
  token: string
): Promise<void> {
  await ctx.github.asToken(apiUrl, token).request('DELETE /installation/token')
}
