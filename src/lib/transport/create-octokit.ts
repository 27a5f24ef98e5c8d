import { createAppAuth } from '@octokit/auth-app'
import {
  GitHub,
  getOctokitOptions,
  getUserAgentWithOrchestrationId
} from '@actions/github/lib/utils'
import type { ClientAuth, ClientDeps, GitHubClient } from './client-deps.js'
import { neutralize } from '../text/neutralize.js'
import { addRetries } from './add-retries.js'
import { createBoundedFetch } from './create-bounded-fetch.js'

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
