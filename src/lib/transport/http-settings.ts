import { proxyFetchFor } from './proxy-fetch-for.js'

type Fetch = (url: string, init?: RequestInit) => Promise<Response>

/** How every request to GitHub behaves; one place, so tests can shrink the waits. */
export interface HttpSettings {
  /** The fetch for one API URL: the toolkit's proxy rules depend on the destination. */
  fetchFor: (apiUrl: string) => Fetch
  /** No single attempt may take longer than this: a hung connection must not hang the job. */
  timeoutMs: number
  /** Retries after the first attempt, for 5xx and network errors. */
  retries: number
  /** Back-off unit: waits are base × 1, base × 4, … */
  retryBaseMs: number
  /** Nothing is attempted after this long from the first request, so retries stay bounded. */
  budgetMs: number
  /** Rate-limit waits longer than this are not waited out. */
  maxRetryAfterSeconds: number
  /**
   * Clean-up (removing a half-registered runner, revoking the intermediate token) has a deadline
   * of its own, this long from its first request: a step that spent its budget on retries must
   * still undo what it did, and the clean-up must not hang the job either.
   */
  cleanupBudgetMs: number
  /** A clean-up attempt's timeout: short, so that a hung attempt leaves time for a retry. */
  cleanupTimeoutMs: number
}

export const PRODUCTION_HTTP: HttpSettings = {
  fetchFor: proxyFetchFor,
  timeoutMs: 10_000,
  retries: 2,
  retryBaseMs: 1_000,
  budgetMs: 25_000,
  maxRetryAfterSeconds: 10,
  cleanupBudgetMs: 10_000,
  cleanupTimeoutMs: 4_000
}
