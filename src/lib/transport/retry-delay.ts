import type { HttpSettings } from './http-settings.js'
import { ReplyTooLargeError } from './create-bounded-fetch.js'

interface FailedAttempt {
  status?: number
  message?: string
  response?: { headers?: Record<string, unknown> }
  cause?: unknown
}

/**
 * How long to wait before retrying a failed request, or undefined to give up. Transient failures
 * are retried: no answer at all (reset, refused, timed out), 5xx, and rate limits (429, or 403
 * with GitHub's secondary or primary rate-limit signs) when GitHub's wait is short enough.
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
 */
export function retryDelay(error: unknown, retry: number, http: HttpSettings): number | undefined {
  const { status, message = '', response, cause } = (error ?? {}) as FailedAttempt
  const backoff = http.retryBaseMs * (retry + 1) ** 2
  // A host that does not resolve is a wrong 'github-api-url', not a passing fault; an oversized
  // reply would come again.
  if (!response && /ENOTFOUND/.test(message)) return undefined
  if (cause instanceof ReplyTooLargeError) return undefined
  if (status === undefined || !response) return backoff
  const headers = response.headers ?? {}
  const rateLimited =
    status === 429 ||
    (status === 403 &&
      (/secondary rate limit/i.test(message) || headers['x-ratelimit-remaining'] === '0'))
  if (!rateLimited) return status >= 500 ? backoff : undefined
  const seconds = waitSeconds(headers)
  return seconds <= http.maxRetryAfterSeconds ? seconds * 1000 : undefined
}

/** retry-after if given, else until x-ratelimit-reset (measured on GitHub's clock), else a minute. */
function waitSeconds(headers: Record<string, unknown>): number {
  const retryAfter = Number(headers['retry-after'])
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter))
    return Math.max(retryAfter, 0)
  const reset = Number(headers['x-ratelimit-reset'])
  const serverNow = typeof headers.date === 'string' ? Date.parse(headers.date) : NaN
  if (Number.isFinite(reset) && !Number.isNaN(serverNow))
    return Math.max(Math.ceil(reset - serverNow / 1000), 0)
  return 60
}
