import type { Core, HttpSettings } from '../context.js'
import { createAppRequest, type AppCredentials, type AppRequest } from './create-app-request.js'
import { createOctokit, type GitHubClient } from './create-octokit.js'

export interface GitHubClients {
  /** Requests signed with the App's JWT, clock skew corrected. */
  asApp(apiUrl: string, app: AppCredentials): AppRequest
  /** A client that authenticates with an installation token. */
  asToken(apiUrl: string, token: string): GitHubClient
}

/**
 * Every client of a step shares one deadline: the retry budget covers all of the step's
 * requests, whichever client sends them.
 */
export function createGitHubClients(deps: {
  core: Core
  now: () => number
  http: HttpSettings
}): GitHubClients {
  const shared = { ...deps, deadline: {} }
  return {
    asApp: (apiUrl, app) => createAppRequest(shared, apiUrl, app),
    asToken: (apiUrl, token) => createOctokit(shared, apiUrl, { token })
  }
}
