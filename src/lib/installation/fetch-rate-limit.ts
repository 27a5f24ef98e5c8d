import type { Log } from '../log.js'
import type { GitHubClient } from '../transport/client-deps.js'
import { describeRequestError, httpStatus } from '../transport/describe-request-error.js'

export interface RateBudget {
  limit: number
  remaining: number
  reset: number
  used: number
}

export interface RateLimits {
  core: RateBudget
  graphql: RateBudget
  search: RateBudget
}

/**
 * What the new token may still spend, as GitHub reports it under `resources`. Asking does not
 * count against the limit. A GitHub Enterprise Server with rate limiting disabled answers 404:
 * that is a warning and no output, not a failed step, since the token itself is fine.
 * https://docs.github.com/en/rest/rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user
 */
export async function fetchRateLimit(
  github: GitHubClient,
  log: Pick<Log, 'warning'>
): Promise<RateLimits | undefined> {
  let data: unknown
  try {
    ;({ data } = await github.request('GET /rate_limit'))
  } catch (error) {
    if (httpStatus(error) !== 404) failed(error)
    log.warning(
      "Input 'rate-limit': GitHub answered HTTP 404 for GET /rate_limit, as a GitHub Enterprise Server with rate limiting disabled does; there is no 'rate-limit' output."
    )
    return undefined
  }
  const resources = (data as { resources?: Record<string, unknown> }).resources ?? {}
  return {
    core: budget(resources, 'core'),
    graphql: budget(resources, 'graphql'),
    search: budget(resources, 'search')
  }
}

/** The token is minted (and now revoked) by then: say which request failed, not a bare status. */
function failed(error: unknown): never {
  const why = describeRequestError(error)
  throw new Error(`Input 'rate-limit': GET /rate_limit failed (${why}).`, { cause: error })
}

function budget(resources: Record<string, unknown>, name: string): RateBudget {
  const value = resources[name] as Partial<Record<keyof RateBudget, unknown>> | undefined
  const fields = ['limit', 'remaining', 'reset', 'used'] as const
  if (!value || fields.some((field) => !Number.isSafeInteger(value[field]))) {
    throw new Error(
      `GET /rate_limit answered without integer limit, remaining, reset and used for '${name}'.`
    )
  }
  return {
    limit: value.limit as number,
    remaining: value.remaining as number,
    reset: value.reset as number,
    used: value.used as number
  }
}

/** `core: 4988/5000, resets at 2026-12-01T16:00:00Z`: the log line and the summary row. */
export function describeCoreLimit(limits: RateLimits): string {
  const { remaining, limit, reset } = limits.core
  return `core: ${remaining}/${limit}, resets at ${new Date(reset * 1000).toISOString().replace('.000', '')}`
}
