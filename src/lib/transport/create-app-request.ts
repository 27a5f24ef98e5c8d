import type { AppCredentials } from '../requests.js'
import type { ClientDeps } from './client-deps.js'
import { createOctokit } from './create-octokit.js'
import { quoteInput } from '../text/quote-input.js'
import { describeRequestError, httpStatus } from './describe-request-error.js'

export interface GitHubResponse<T> {
  status: number
  headers: Record<string, string | number | undefined>
  data: T
}

export type AppRequest = <T>(
  route: string,
  parameters?: Record<string, unknown>
) => Promise<GitHubResponse<T>>

/**
 * Requests signed with the App's JWT, which @octokit/auth-app signs and, when GitHub rejects one
 * because the runner's clock is off, retries once with GitHub's time.
 * Gap: auth-app forgets that offset after the retry, so each later JWT request of the step would
 * be refused and retried too. The step's ServerClock learns the offset from every reply's Date
 * header (see createBoundedFetch); when it has moved, the auth-app client is built anew with it
 * (its `timeDifference` option, in seconds): a skewed clock costs at most one extra request per
 * step, and none when an earlier process passed the offset on.
 */
export function createAppRequest(
  deps: ClientDeps,
  apiUrl: string,
  credentials: AppCredentials
): AppRequest {
  const { appId } = credentials
  if ('jwt' in credentials) return givenJwtRequest(deps, apiUrl, credentials)
  const app = {
    // A numeric App ID is an integer claim, as in GitHub's examples; a Client ID is a string.
    appId: /^\d+$/.test(appId) ? Number(appId) : appId,
    privateKey: credentials.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
  }
  const build = (offsetMs: number) => {
    const timeDifference = Math.round(offsetMs / 1000)
    if (timeDifference !== 0) {
      deps.log.debug(
        `GitHub's clock is ${timeDifference} s from this runner's; later JWTs account for it.`
      )
    }
    return { offsetMs, octokit: createOctokit(deps, apiUrl, { app: { ...app, timeDifference } }) }
  }
  let client = build(deps.clock.offsetMs())
  const relearn = () => {
    if (deps.clock.offsetMs() !== client.offsetMs) client = build(deps.clock.offsetMs())
  }
  return async <T>(route: string, parameters?: Record<string, unknown>) => {
    try {
      return (await client.octokit.request(route, parameters)) as GitHubResponse<T>
    } catch (error) {
      throw httpStatus(error) === 401 ? rejectedCredentials(appId, error) : error
    } finally {
      relearn()
    }
  }
}

/**
 * GitHub answers 401 to a JWT whose issuer and key do not match, without saying which is wrong:
 * the ID is named (it is not secret, but it is input text, hence quoteInput), the key never is.
 */
function rejectedCredentials(appId: string, error: unknown): Error {
  const id = /^\d+$/.test(appId) ? `App ID ${appId}` : `Client ID ${quoteInput(appId)}`
  return new Error(
    `GitHub rejected the App's credentials for ${id} (${describeRequestError(error)}): the ID and the key do not belong to the same App, or the key was deleted. Check 'app-id'/'client-id', and that the private key is a current key of that App (App settings → Private keys).`
  )
}

/**
 * Requests with a JWT signed elsewhere: @octokit/auth-token sends a three-part token as
 * `Bearer`, as GitHub wants an App JWT. Nothing can be re-signed here: a JWT GitHub refuses
 * (expired, another App's, a key no longer on the App) ends in an error that says so.
 */
function givenJwtRequest(
  deps: ClientDeps,
  apiUrl: string,
  credentials: { appId: string; jwt: { jwt: string } }
): AppRequest {
  const octokit = createOctokit(deps, apiUrl, { token: credentials.jwt.jwt })
  return async <T>(route: string, parameters?: Record<string, unknown>) => {
    try {
      return (await octokit.request(route, parameters)) as GitHubResponse<T>
    } catch (error) {
      if (httpStatus(error) !== 401) throw error
      throw new Error(
        `GitHub rejected the App JWT (${describeRequestError(error)}): it has expired by GitHub's clock, or it is not signed by a current key of the App its iss names (${quoteInput(credentials.appId)}). Sign a fresh one just before this step.`,
        { cause: error }
      )
    }
  }
}
