import type { KeyObject } from 'node:crypto'
import { createDeps, type Deps } from '../lib/seam/deps.js'
import {
  createInstallationToken,
  type InstallationToken
} from '../lib/installation/create-installation-token.js'
import { revokeInstallationToken } from '../lib/installation/revoke-installation-token.js'
import type { RefresherConfig } from '../lib/refresher-control/refresher-config.js'
import { brokerInstallationToken } from '../lib/broker-client/broker-client.js'
import { idTokenFromService } from '../lib/broker-client/id-token-service.js'
import { MINT_ATTEMPT_MS } from '../lib/refresher-control/stop-budget.js'
import { PRODUCTION_HTTP, type HttpSettings } from '../lib/transport/http-settings.js'
import type { ServerClock } from '../lib/transport/server-clock.js'
import type { QuietLog } from './status.js'

/** The refresher's requests to GitHub, behind one seam so that its loop runs on a fake in tests. */
export interface RefresherRequests {
  /** A new token with the first one's scope. */
  mint(): Promise<InstallationToken>
  /** Revokes a token with itself; 'already gone' for GitHub's 401. */
  revoke(token: string, options: { stopping: boolean }): Promise<'revoked' | 'already gone'>
}

/**
 * One attempt, no retries inside it: the refresh loop has its own back-off (see nextRetryAt),
 * which knows how long the old token still lives; retries nested under it would only delay it.
 * Bounded as a whole by MINT_ATTEMPT_MS, so that a stop can wait for a mint under way to end.
 */
const REFRESH_HTTP: HttpSettings = {
  ...PRODUCTION_HTTP,
  retries: 0,
  timeoutMs: MINT_ATTEMPT_MS,
  budgetMs: MINT_ATTEMPT_MS
}

/** When stopping: the post step waits a few seconds at most, so the revocations must fit. */
const STOPPING_HTTP: HttpSettings = {
  ...REFRESH_HTTP,
  timeoutMs: 1_500,
  budgetMs: 2_000,
  cleanupBudgetMs: 2_000,
  cleanupTimeoutMs: 1_500
}

/**
 * The production requests. Each attempt gets fresh clients: they share one deadline from their
 * first request (HttpSettings.budgetMs), which a process living for hours would otherwise spend
 * at once. All share one clock: what one attempt's replies teach about GitHub's time (their Date
 * header), the next knows. A mint asks for the same installation, repositories, permissions and
 * token format as the main step did; with the installation ID known, it is the mint request alone (the owner
 * is only named in error messages, and the installation ID says more). A revocation is sent with
 * the token itself (see revokeInstallationToken for the 401 outcome).
 */
export function createRefresherRequests(
  config: RefresherConfig,
  privateKey: KeyObject | undefined,
  log: QuietLog,
  time: { server: ServerClock; now: () => number }
): RefresherRequests {
  const deps = (stopping: boolean): Deps =>
    createDeps({
      log,
      run: { serverUrl: '', apiUrl: config.apiUrl, runId: 'refresher', runAttempt: '1' },
      http: stopping ? STOPPING_HTTP : REFRESH_HTTP,
      now: time.now,
      clock: time.server
    })
  return {
    async mint() {
      const { broker } = config
      const target = { owner: '', repositories: config.repositories }
      // Through the broker, with a fresh OIDC token of the job each time; else signed with the key.
      const minted = broker
        ? await brokerInstallationToken(
            { log, idToken: idTokenFromService(broker.idTokenService) },
            { broker, target, permissions: config.permissions }
          )
        : await mintWithKey()
      log.mask(minted.token)
      return minted
    },
    revoke: (token, options) =>
      revokeInstallationToken(deps(options.stopping), config.apiUrl, token)
  }

  function mintWithKey() {
    return createInstallationToken(deps(false), {
      app: { appId: config.appId!, privateKey: privateKey! },
      apiUrl: config.apiUrl,
      installationId: config.installationId,
      target: {
        owner: `installation ${config.installationId}`,
        repositories: config.repositories
      },
      permissions: config.permissions,
      tokenFormat: config.tokenFormat
    })
  }
}
