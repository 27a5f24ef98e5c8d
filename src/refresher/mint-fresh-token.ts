import type { KeyObject } from 'node:crypto'
import {
  createInstallationToken,
  type InstallationToken
} from '../lib/installation/create-installation-token.js'
import type { ServerClock } from '../lib/transport/server-clock.js'
import type { QuietLog } from './quiet-log.js'
import type { RefresherConfig } from '../lib/refresher-control/refresher-config.js'
import { refresherContext } from './refresher-context.js'

/**
 * A new token for the same installation, repositories and permissions as the one it replaces,
 * minted as the main step minted it. With the installation ID known, this is the mint request
 * alone; the owner is only named in error messages, and the installation ID says more.
 */
export async function mintFreshToken(
  config: RefresherConfig,
  privateKey: KeyObject,
  log: QuietLog,
  clock: ServerClock
): Promise<InstallationToken> {
  const ctx = refresherContext(config, log, { stopping: false, clock })
  const minted = await createInstallationToken(ctx, {
    app: { appId: config.appId, privateKey },
    apiUrl: config.apiUrl,
    installationId: config.installationId,
    target: { owner: `installation ${config.installationId}`, repositories: config.repositories },
    permissions: config.permissions
  })
  log.mask(minted.token)
  return minted
}
