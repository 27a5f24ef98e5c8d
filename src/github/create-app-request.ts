import { createAppAuth } from '@octokit/auth-app'
import type { KeyObject } from 'node:crypto'
import type { Context } from '../context.js'
import { signAppJwt } from '../key/sign-app-jwt.js'
import { createOctokit } from './create-octokit.js'
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

/**
 * Requests signed with the App's JWT. @octokit/auth-app adds the JWT (signed by `signAppJwt`) and,
 * when GitHub rejects one because the runner's clock is off, retries that one request with
 * GitHub's time. It does not keep that offset, so we learn it from each response's Date header and
 * sign every later JWT with it: a skewed clock costs at most one extra request per step, not one
 * per JWT request.
 */
export function createAppRequest(
  ctx: Context,
  baseUrl: string,
  credentials: AppCredentials
): AppRequest {
  let learnedOffset = 0
  const learn = (headers?: Record<string, unknown>) => {
    const serverTime = typeof headers?.date === 'string' ? Date.parse(headers.date) : NaN
    if (!Number.isNaN(serverTime)) learnedOffset = Math.round((serverTime - ctx.now()) / 1000)
  }
  const { appId, privateKey } = credentials
  const auth = {
    appId,
    // auth-app passes its own offset only on its skew retry; otherwise ours applies.
    createJwt: (_appId: string | number, timeDifference?: number) =>
      Promise.resolve(
        signAppJwt(appId, privateKey, ctx.now() / 1000 + (timeDifference ?? learnedOffset))
      )
  }
  const octokit = createOctokit(ctx, baseUrl, { authStrategy: createAppAuth, auth })
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
