import { Octokit } from '@octokit/core'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import type { Context } from '../context.js'
import { createBoundedFetch } from './create-bounded-fetch.js'

const MintOctokit = Octokit.plugin(retry, throttling)
export type GitHubClient = InstanceType<typeof MintOctokit>
type ClientOptions = Pick<NonNullable<ConstructorParameters<typeof Octokit>[0]>, 'auth' | 'authStrategy'>

/**
 * plugin-throttling spaces writes one second apart, a guard for bulk content creation. We send
 * a handful of requests per step, so that pacing would only add seconds to every job.
 */
const unpaced = { key: () => ({ schedule: (_options: unknown, run: () => unknown) => run() }) } as never

/** The one place that configures how we talk to GitHub: base URL, headers, retries, timeouts. */
export function createOctokit(ctx: Context, baseUrl: string, options: ClientOptions = {}) {
  const { http, core } = ctx
  const allowWait = (what: string) => (retryAfter: number, request: { method: string; url: string }, _o: unknown, count: number) => {
    const willRetry = count < http.retries && retryAfter <= http.maxRetryAfterSeconds
    core.info(
      `GitHub ${what} on ${request.method} ${request.url}: ${willRetry ? `retrying in ${retryAfter} s` : 'giving up'}`
    )
    return willRetry
  }
  const octokit = new MintOctokit({
    ...options,
    baseUrl,
    userAgent: 'mint-token',
    headers: { 'x-github-api-version': '2022-11-28' },
    request: { fetch: createBoundedFetch(http, ctx.now) },
    log: { debug: () => {}, info: () => {}, warn: (m: string) => core.info(m), error: (m: string) => core.info(m) },
    retry: { retries: http.retries, retryAfterBaseValue: http.retryBaseMs },
    throttle: {
      retryAfterBaseValue: 1000,
      write: unpaced,
      notifications: unpaced,
      onSecondaryRateLimit: allowWait('secondary rate limit'),
      onRateLimit: allowWait('rate limit')
    }
  })
  logRetries(octokit, ctx)
  return octokit
}

interface RequestOptions {
  method: string
  url: string
  request?: { retryCount?: number }
}

/** One log line per retry, with the status that caused it (plugin-retry itself is silent). */
function logRetries(octokit: GitHubClient, ctx: Context) {
  octokit.hook.error('request', (error: Error & { status?: number }, options) => {
    const request = options as unknown as RequestOptions
    const attempt = (request.request?.retryCount ?? 0) + 1
    const status = error.status && error.status !== 500 ? `HTTP ${error.status}` : error.message
    if (isRetryable(error)) ctx.core.info(`${request.method} ${request.url} failed (${status}), attempt ${attempt}`)
    throw error
  })
}

function isRetryable(error: Error & { status?: number }): boolean {
  return error.status === undefined || error.status >= 500 || error.status === 429
}
