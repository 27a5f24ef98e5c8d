import type { ServerClock } from '../lib/transport/server-clock.js'
import { revokeInstallationToken } from '../lib/installation/revoke-installation-token.js'
import type { QuietLog } from './quiet-log.js'
import type { RefresherConfig } from '../lib/refresher-control/refresher-config.js'
import { refresherContext } from './refresher-context.js'

/**
 * Revokes a token the refresher no longer hands out, with the token itself, through the
 * refresher's own clients (see revokeInstallationToken for the 401 outcome).
 */
export async function revokeReplacedToken(
  config: RefresherConfig,
  log: QuietLog,
  token: string,
  options: { stopping: boolean; clock: ServerClock }
): Promise<'revoked' | 'already gone'> {
  return revokeInstallationToken(refresherContext(config, log, options), config.apiUrl, token)
}
