import { httpStatus } from '../github/describe-request-error.js'
import { revokeInstallationToken } from '../installation/revoke-installation-token.js'
import type { QuietCore } from './create-quiet-core.js'
import type { RefresherConfig } from './refresher-config.js'
import { refresherContext } from './refresher-context.js'

/**
 * Revokes a token the refresher no longer hands out, with the token itself. GitHub answers 401
 * for a token that has expired or was revoked already: it is gone, which is what we wanted.
 * https://docs.github.com/en/rest/apps/installations#revoke-an-installation-access-token
 */
export async function revokeReplacedToken(
  config: RefresherConfig,
  core: QuietCore,
  token: string,
  options: { stopping: boolean }
): Promise<'revoked' | 'already gone'> {
  const ctx = refresherContext(config, core, options)
  try {
    await revokeInstallationToken(ctx, config.apiUrl, token)
    return 'revoked'
  } catch (error) {
    if (httpStatus(error) === 401) return 'already gone'
    throw error
  }
}
