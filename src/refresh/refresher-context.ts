import { createContext, PRODUCTION_HTTP, type Context, type HttpSettings } from '../context.js'
import type { QuietCore } from './create-quiet-core.js'
import type { RefresherConfig } from './refresher-config.js'

/**
 * One attempt, no retries inside it: the refresh loop has its own back-off (see nextRetryAt),
 * which knows how long the old token still lives; retries nested under it would only delay it.
 */
const REFRESH_HTTP: HttpSettings = { ...PRODUCTION_HTTP, retries: 0 }

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
 * (HttpSettings.budgetMs), which a process living for hours would otherwise spend at once.
 */
export function refresherContext(
  config: Pick<RefresherConfig, 'apiUrl'>,
  core: QuietCore,
  options: { stopping: boolean }
): Context {
  return createContext({
    core,
    run: { serverUrl: '', apiUrl: config.apiUrl, runId: 'refresher', runAttempt: '1' },
    http: options.stopping ? STOPPING_HTTP : REFRESH_HTTP
  })
}
