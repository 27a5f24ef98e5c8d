import type { ClientDeps } from './create-octokit.js'

type Fetch = (url: string, init?: RequestInit) => Promise<Response>

/**
 * Wraps fetch so that each attempt times out and no attempt starts after the step's budget.
 * A timed-out attempt becomes a network error, which @octokit/request reports (and we retry)
 * like a refused or reset connection.
 * Gap: octokit has no per-attempt timeout, and undici's own (headers, body) are 300 s each.
 */
export function createBoundedFetch({ http, now, deadline }: ClientDeps, fetch: Fetch): Fetch {
  return async (url, init) => {
    deadline.at ??= now() + http.budgetMs
    const remaining = deadline.at - now()
    if (remaining <= 0) {
      throw new TypeError('fetch failed', {
        cause: new Error(`no answer from GitHub within ${http.budgetMs / 1000} s, retries included`)
      })
    }
    const timeoutMs = Math.min(http.timeoutMs, remaining)
    const signal = AbortSignal.timeout(timeoutMs)
    try {
      return await fetch(url, { ...init, signal })
    } catch (error) {
      if (!signal.aborted) throw error
      // The AbortError says only "aborted"; this cause says why, and @octokit/request shows it.
      // eslint-disable-next-line preserve-caught-error
      throw new TypeError('fetch failed', { cause: new Error(`no answer within ${timeoutMs} ms`) })
    }
  }
}
