import { neutralize } from '../text/neutralize.js'
import type { ClientDeps, GitHubClient } from './client-deps.js'
import { describeRequestError, httpStatus } from './describe-request-error.js'
import { retryDelay } from './retry-delay.js'

/** Per-request options this hook reads from `request: { … }`. */
export interface RetryOptions {
  /** Retries after the first attempt; 0 for a request that must not be repeated. */
  retries?: number
  /**
   * Logged before retrying a request that GitHub may have carried out although we saw no success:
   * no reply at all (reset, timeout), or a 5xx (a gateway's 502/504 can come after the work was
   * done). Not for rate limits, which GitHub refuses before acting.
   */
  retryNote?: string
}

/**
 * Retries transient failures (see retryDelay) within the step's budget, one log line each.
 * Wrapped outside the auth hook, so every retry is signed afresh. A request that must not be
 * repeated passes `request: { retries: 0 }`.
 * Why not @octokit/plugin-retry and plugin-throttling: neither knows a step-wide deadline (their
 * waits add up without bound, and a job must not hang on GitHub); plugin-retry waits its own
 * back-off and ignores a 429's retry-after; plugin-throttling honours retry-after only for the
 * rate-limit cases it recognises and queues through Bottleneck with no cap on the wait. A
 * timed-out attempt (see createBoundedFetch) is retried here like any network error.
 */
export function addRetries(octokit: GitHubClient, deps: ClientDeps): void {
  const { log, http, now, deadline } = deps
  octokit.hook.wrap('request', async (request, options) => {
    const { retries: limit = http.retries, retryNote } = options.request as RetryOptions
    for (let retry = 0; ; retry++) {
      const started = now()
      try {
        const response = await request(options)
        log.debug(
          `${describeRoute(octokit, options)}: HTTP ${response.status} in ${now() - started} ms`
        )
        return response
      } catch (error) {
        const delay = retry < limit ? retryDelay(error, retry, http) : undefined
        if (delay === undefined || now() + delay >= (deadline.at ?? Infinity)) throw error
        const what = describeRoute(octokit, options)
        log.info(
          `${what} failed (${describeRequestError(error)}); retry ${retry + 1} of ${limit} in ${delay / 1000} s`
        )
        if (retryNote && mayHaveActed(error)) log.info(retryNote)
        await new Promise((resolve) => setTimeout(resolve, delay))
      }
    }
  })
}

/**
 * 'POST /app/installations/1/access_tokens': the method and path, never the query or a body.
 * The path is shown decoded ('/users/app[bot]', as messages name it): core.debug escapes '%' for
 * the runner, so a percent-encoded path would read '%255B' in the raw log.
 */
function describeRoute(
  octokit: GitHubClient,
  options: Parameters<typeof octokit.request.endpoint.parse>[0]
) {
  const { method, url } = octokit.request.endpoint.parse(options)
  const path = new URL(url).pathname
  return neutralize(`${method} ${decodedOr(path)}`)
}

function decodedOr(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

/** No reply at all (octokit reports it as status 500 without a response), or a 5xx. */
function mayHaveActed(error: unknown): boolean {
  const answered = (error as { response?: unknown } | null)?.response !== undefined
  return !answered || (httpStatus(error) ?? 0) >= 500
}
