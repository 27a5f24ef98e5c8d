import { Octokit } from '@octokit/core'
import type { Context } from '../context.js'
import { createBoundedFetch } from './create-bounded-fetch.js'
import { describeRequestError } from './describe-request-error.js'
import { retryDelay } from './retry-delay.js'

export type GitHubClient = Octokit
type ClientOptions = Pick<
  NonNullable<ConstructorParameters<typeof Octokit>[0]>,
  'auth' | 'authStrategy'
>

/** One deadline per step: the retry budget covers every request of the step, not each client. */
const deadlines = new WeakMap<Context, { at?: number }>()

/** The one place that configures how we talk to GitHub: base URL, headers, retries, timeouts. */
export function createOctokit(
  ctx: Context,
  baseUrl: string,
  options: ClientOptions = {}
): GitHubClient {
  let deadline = deadlines.get(ctx)
  if (!deadline) deadlines.set(ctx, (deadline = {}))
  const octokit = new Octokit({
    ...options,
    baseUrl,
    userAgent: 'mint-token',
    headers: { 'x-github-api-version': '2022-11-28' },
    request: { fetch: createBoundedFetch(ctx.http, ctx.now, deadline) },
    log: {
      debug: () => {},
      info: () => {},
      warn: (m: string) => ctx.core.info(m),
      error: (m: string) => ctx.core.info(m)
    }
  })
  addRetries(octokit, ctx, deadline)
  return octokit
}

/**
 * Retries transient failures (see retryDelay) within the step's budget, one log line each.
 * Wrapped outside the auth hook, so every retry is signed afresh. A request that must not be
 * repeated passes `request: { retries: 0 }`.
 * (plugin-retry and plugin-throttling do this too, but their Bottleneck scheduler costs 31 KB
 * of bundle and start-up, and neither retries timeouts nor honours a plain 429's retry-after.)
 */
function addRetries(octokit: Octokit, ctx: Context, deadline: { at?: number }) {
  octokit.hook.wrap('request', async (request, options) => {
    const limit = (options.request as { retries?: number }).retries ?? ctx.http.retries
    for (let retry = 0; ; retry++) {
      try {
        return await request(options)
      } catch (error) {
        const delay = retry < limit ? retryDelay(error, retry, ctx.http) : undefined
        if (delay === undefined || ctx.now() + delay >= (deadline.at ?? Infinity)) throw error
        const { method, url } = octokit.request.endpoint.parse(options)
        const what = `${method} ${new URL(url).pathname}`
        ctx.core.info(
          `${what} failed (${describeRequestError(error)}); retry ${retry + 1} of ${limit} in ${delay / 1000} s`
        )
        await new Promise((resolve) => setTimeout(resolve, delay))
      }
    }
  })
}
