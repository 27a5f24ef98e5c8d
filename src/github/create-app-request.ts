import type { KeyObject } from 'node:crypto'
import { createOctokit, type ClientDeps, type GitHubClient } from './create-octokit.js'
import { describeRequestError, httpStatus } from './describe-request-error.js'

export interface AppCredentials {
  /** The numeric App ID or the Client ID: GitHub accepts either as the JWT issuer. */
  appId: string
  privateKey: KeyObject
}

export interface GitHubResponse<T> {
  status: number
  headers: Record<string, string | number | undefined>
  data: T
}

export type AppRequest = <T>(
  route: string,
  parameters?: Record<string, unknown>
) => Promise<GitHubResponse<T>>

/** Below this, a difference is the Date header's one-second resolution, not a skewed clock. */
const SKEW_TOLERANCE_SECONDS = 2

/**
 * Requests signed with the App's JWT, which @octokit/auth-app signs and, when GitHub rejects one
 * because the runner's clock is off, retries once with GitHub's time.
 * Gap: auth-app forgets that offset after the retry, so each later JWT request of the step would
 * be refused and retried too. We learn the offset from every response's Date header and build the
 * auth-app client anew with it (its `timeDifference` option): a skewed clock costs at most one
 * extra request per step.
 */
export function createAppRequest(
  deps: ClientDeps,
  apiUrl: string,
  credentials: AppCredentials
): AppRequest {
  const { appId } = credentials
  const app = {
    // A numeric App ID is an integer claim, as in GitHub's examples; a Client ID is a string.
    appId: /^\d+$/.test(appId) ? Number(appId) : appId,
    privateKey: credentials.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
  }
  let offset = 0
  let octokit: GitHubClient = createOctokit(deps, apiUrl, { app })
  const learn = (headers?: Record<string, unknown>) => {
    const serverTime = typeof headers?.date === 'string' ? Date.parse(headers.date) : NaN
    if (Number.isNaN(serverTime)) return
    const measured = Math.round((serverTime - deps.now()) / 1000)
    if (Math.abs(measured - offset) <= SKEW_TOLERANCE_SECONDS) return
    offset = measured
    deps.core.debug(`GitHub's clock is ${offset} s from this runner's; later JWTs account for it.`)
    octokit = createOctokit(deps, apiUrl, { app: { ...app, timeDifference: offset } })
  }
  return async <T>(route: string, parameters?: Record<string, unknown>) => {
    try {
      const response = await octokit.request(route, parameters)
      learn(response.headers)
      return response as GitHubResponse<T>
    } catch (error) {
      learn((error as { response?: { headers?: Record<string, unknown> } }).response?.headers)
      throw httpStatus(error) === 401 ? rejectedCredentials(error) : error
    }
  }
}

function rejectedCredentials(error: unknown): Error {
  return new Error(
    `GitHub rejected the App's credentials (${describeRequestError(error)}). Check that the private key is a current key of the App named by 'app-id'/'client-id' (App settings → Private keys).`
  )
}
