import type { Log } from '../log.js'
import type { HttpSettings } from './http-settings.js'
import type { AppCredentials } from '../requests.js'
import { createAppRequest, type AppRequest } from './create-app-request.js'
import type { GitHubClient } from './client-deps.js'
import { createOctokit } from './create-octokit.js'
import { createServerClock, type ServerClock } from './server-clock.js'

export interface GitHubClients {
  /** Requests signed with the App's JWT, clock skew corrected. */
  asApp(apiUrl: string, app: AppCredentials): AppRequest
  /** A client that authenticates with an installation token. */
  asToken(apiUrl: string, token: string): GitHubClient
  /**
   * Clients for one clean-up (removing a half-registered runner, revoking a token): a deadline
   * of their own, started by their first request, with the clean-up's short attempt timeout. So a
   * step whose budget went on retries can still undo what it did, within a bounded time.
   */
  forCleanup(): GitHubClients
  /**
   * Clients for work sized to its own budget (prune-runners' fleet): a deadline of their own,
   * this long from their first request, with the step's attempt timeout.
   */
  withBudget(budgetMs: number): GitHubClients
  /** GitHub's clock, learned from every reply of every client of the set (clean-up included). */
  clock: ServerClock
}

/**
 * Every client of a step shares one deadline: the retry budget covers all of the step's
 * requests, whichever client sends them. Only clean-up clients have their own. Within one set,
 * the App client is built once per API URL and key (so the clock offset it learns, and its
 * exported key, serve every JWT request of the step), and the proxy-aware fetch once per API URL
 * (so requests share the proxy's connections), clean-up clients included.
 */
export function createGitHubClients(deps: {
  log: Log
  now: () => number
  http: HttpSettings
  /** GitHub's clock minus the runner's, as an earlier process learned it (default 0). */
  clockOffsetMs?: number
  /** A clock shared with other client sets of the process, which then learn for each other. */
  clock?: ServerClock
}): GitHubClients {
  const fetches = new Map<string, ReturnType<HttpSettings['fetchFor']>>()
  const fetchFor: HttpSettings['fetchFor'] = (apiUrl) => {
    if (!fetches.has(apiUrl)) fetches.set(apiUrl, deps.http.fetchFor(apiUrl))
    return fetches.get(apiUrl)!
  }
  const clock = deps.clock ?? createServerClock(deps.now, { offsetMs: deps.clockOffsetMs })
  return clientSet({ log: deps.log, now: deps.now, clock, http: { ...deps.http, fetchFor } })
}

function clientSet(deps: {
  log: Log
  now: () => number
  clock: ServerClock
  http: HttpSettings
}): GitHubClients {
  const shared = { ...deps, deadline: {} }
  const apps = new Map<string, { app: AppCredentials; request: AppRequest }>()
  const { cleanupBudgetMs, cleanupTimeoutMs } = deps.http
  const cleanupHttp = { ...deps.http, budgetMs: cleanupBudgetMs, timeoutMs: cleanupTimeoutMs }
  return {
    asApp(apiUrl, app) {
      const known = apps.get(apiUrl)
      if (known?.app === app) return known.request
      const request = createAppRequest(shared, apiUrl, app)
      apps.set(apiUrl, { app, request })
      return request
    },
    asToken: (apiUrl, token) => createOctokit(shared, apiUrl, { token }),
    forCleanup: () => clientSet({ ...deps, http: cleanupHttp }),
    withBudget: (budgetMs) => clientSet({ ...deps, http: { ...deps.http, budgetMs } }),
    clock: deps.clock
  }
}
