import type { HttpSettings } from '../context.js'

/**
 * Wraps fetch so that each attempt times out and no attempt starts after the retry budget.
 *
 * A timed-out attempt is rethrown as a network error, which @octokit/request turns into a
 * retryable 500 (its own AbortError is not retried). Once the budget is spent we throw an
 * AbortError on purpose: plugin-retry passes those through, so retries stop there.
 */
export function createBoundedFetch(http: HttpSettings, now: () => number) {
  let deadline: number | undefined
  return async (url: string, init?: RequestInit): Promise<Response> => {
    deadline ??= now() + http.budgetMs
    const remaining = deadline - now()
    if (remaining <= 0) {
      const error = new Error(`GitHub did not answer within ${http.budgetMs / 1000} s, retries included`)
      error.name = 'AbortError'
      throw error
    }
    const timeoutMs = Math.min(http.timeoutMs, remaining)
    const signal = AbortSignal.timeout(timeoutMs)
    try {
      return await http.fetch(url, { ...init, signal })
    } catch (error) {
      if (!signal.aborted) throw error
      throw new TypeError('fetch failed', { cause: new Error(`no answer within ${timeoutMs} ms`) })
    }
  }
}
