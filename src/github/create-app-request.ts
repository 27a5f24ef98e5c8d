import { createAppAuth } from '@octokit/auth-app'
import type { Context } from '../context.js'
import { createOctokit, type GitHubClient } from './create-octokit.js'
import { describeRequestError, httpStatus } from './describe-request-error.js'

export interface AppCredentials {
  /** The numeric App ID or the Client ID: GitHub accepts either as the JWT issuer. */
  appId: string
  privateKey: string
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

/**
 * Requests signed with the App's JWT. @octokit/auth-app signs them and, when GitHub rejects a JWT
 * because the runner's clock is off, retries that one request with GitHub's time. It does not keep
 * the offset, so we learn it from each response's Date header and hand it to the next request:
 * a skewed clock then costs at most one extra request per step instead of one per JWT request.
 */
export function createAppRequest(
  ctx: Context,
  baseUrl: string,
  credentials: AppCredentials
): AppRequest {
  let timeDifference = 0
  const learn = (headers?: Record<string, unknown>) => {
    const serverTime = typeof headers?.date === 'string' ? Date.parse(headers.date) : NaN
    // auth-app measures the difference against Date.now(), so we do too.
    if (!Number.isNaN(serverTime)) timeDifference = Math.round((serverTime - Date.now()) / 1000)
  }
  let client: { timeDifference: number; octokit: GitHubClient } | undefined
  return async <T>(route: string, parameters?: Record<string, unknown>) => {
    // auth-app takes the offset once, at creation: a new client only when the offset changed.
    if (client?.timeDifference !== timeDifference) {
      const auth = { ...credentials, timeDifference }
      client = {
        timeDifference,
        octokit: createOctokit(ctx, baseUrl, { authStrategy: createAppAuth, auth })
      }
    }
    const { octokit } = client
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
