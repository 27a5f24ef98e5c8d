import type { Deps } from '../seam/deps.js'
import { httpStatus } from '../transport/describe-request-error.js'

/**
 * Revokes the token with itself, so the post step needs no key. GitHub answers 401 for a token
 * that has expired or was revoked already (also what a retry gets when the reply to a DELETE
 * that worked was lost): it is gone, which is what was wanted, so that is an outcome, not an
 * error. Any other failure is thrown.
 * https://docs.github.com/en/rest/apps/installations#revoke-an-installation-access-token
 */
export async function revokeInstallationToken(
  ctx: Pick<Deps, 'github'>,
  apiUrl: string,
  token: string
): Promise<'revoked' | 'already gone'> {
  try {
    await ctx.github.asToken(apiUrl, token).request('DELETE /installation/token')
    return 'revoked'
  } catch (error) {
    if (httpStatus(error) === 401) return 'already gone'
    throw error
  }
}
