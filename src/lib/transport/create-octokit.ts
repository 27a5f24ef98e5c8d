import { createAppAuth } from '@octokit/auth-app'
import {
  GitHub,
  getOctokitOptions,
  getUserAgentWithOrchestrationId
} from '@actions/github/lib/utils'
import type { Log } from '../log.js'
import type { HttpSettings } from './http-settings.js'
import { neutralize } from '../text/neutralize.js'
import { addRetries } from './add-retries.js'
import { createBoundedFetch } from './create-bounded-fetch.js'
import type { ServerClock } from './server-clock.js'

/** @actions/github's Octokit: core with the REST endpoint methods and pagination plugins. */
export type GitHubClient = InstanceType<typeof GitHub>

/**
 * What every client of one step shares: the logger, the runner's clock (for timeouts and
 * budgets), GitHub's clock (learned from every reply), the settings, one deadline.
 */
export interface ClientDeps {
  log: Log
  now: () => number
  clock: ServerClock
  http: HttpSettings
  deadline: { at?: number }
}

export type ClientAuth =
  | { token: string }
  | { app: { appId: number | string; privateKey: string; timeDifference?: number } }

/** The one place that configures how we talk to GitHub: base URL, headers, retries, timeouts. */
export function createOctokit(deps: ClientDeps, apiUrl: string, auth: ClientAuth): GitHubClient {
  // Octokit's and auth-app's own messages (deprecations, clock skew) go to our log, not console.
  // They embed response headers, so they are neutralized. @octokit/request logs a Deprecation
  // header through `request.log`, not octokit.log, and falls back to console.warn (stderr).
  const log = {
    debug: (message: string) => deps.log.debug(neutralize(message)),
    info: (message: string) => deps.log.debug(neutralize(message)),
    warn: (message: string) => deps.log.info(neutralize(message)),
    error: (message: string) => deps.log.info(neutralize(message))
  }
  const options = {
    baseUrl: apiUrl,
    userAgent: getUserAgentWithOrchestrationId('mint-token'),
    headers: { 'x-github-api-version': '2022-11-28' },
    request: { fetch: createBoundedFetch(deps, deps.http.fetchFor(apiUrl)), log },
    log
  }
  // getOctokitOptions would turn an object `auth` into the string 'token undefined', so the App
  // client passes its auth strategy straight to the constructor.
  const octokit =
    'token' in auth
      ? new GitHub(getOctokitOptions(auth.token, options))
      : new GitHub({ ...options, authStrategy: createAppAuth, auth: auth.app })
  addRetries(octokit, deps)
  return octokit
}
