import type { ServerClock } from '../lib/transport/server-clock.js'
import { createDeps, type Deps } from '../lib/seam/deps.js'
import { PRODUCTION_HTTP, type HttpSettings } from '../lib/transport/http-settings.js'
import type { QuietLog } from './quiet-log.js'
import type { RefresherConfig } from '../lib/refresher-control/refresher-config.js'
import { MINT_ATTEMPT_MS } from '../lib/refresher-control/stop-budget.js'

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
 * A fresh context for each attempt: the clients share one deadline from their first request
 * (HttpSettings.budgetMs), which a process living for hours would otherwise spend at once. The
 * clock is the process's: what one attempt's replies teach about GitHub's time, the next knows.
 */
export function refresherContext(
  config: Pick<RefresherConfig, 'apiUrl'>,
  log: QuietLog,
  options: { stopping: boolean; clock: ServerClock }
): Deps {
  return createDeps({
    log,
    run: { serverUrl: '', apiUrl: config.apiUrl, runId: 'refresher', runAttempt: '1' },
    http: options.stopping ? STOPPING_HTTP : REFRESH_HTTP,
    clock: options.clock
  })
}
