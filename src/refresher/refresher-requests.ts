import type { KeyObject } from 'node:crypto'
import type { InstallationToken } from '../lib/installation/create-installation-token.js'
import type { ServerClock } from '../lib/transport/server-clock.js'
import type { QuietLog } from './quiet-log.js'
import { mintFreshToken } from './mint-fresh-token.js'
import type { RefresherConfig } from '../lib/refresher-control/refresher-config.js'
import { revokeReplacedToken } from './revoke-replaced-token.js'

/** The refresher's requests to GitHub, behind one seam so that its loop runs on a fake in tests. */
export interface RefresherRequests {
  /** A new token with the first one's scope. */
  mint(): Promise<InstallationToken>
  /** Revokes a token with itself; 'already gone' for GitHub's 401. */
  revoke(token: string, options: { stopping: boolean }): Promise<'revoked' | 'already gone'>
}

/**
 * The production requests. Each attempt gets fresh clients (see refresherContext), all sharing
 * one clock: every reply's Date header keeps GitHub's time up to date for the whole process.
 */
export function createRefresherRequests(
  config: RefresherConfig,
  privateKey: KeyObject,
  log: QuietLog,
  clock: ServerClock
): RefresherRequests {
  return {
    mint: () => mintFreshToken(config, privateKey, log, clock),
    revoke: (token, options) => revokeReplacedToken(config, log, token, { ...options, clock })
  }
}
