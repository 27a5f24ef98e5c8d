import { Response as UndiciResponse } from 'undici'
import type { ClientDeps } from './client-deps.js'

type Fetch = (url: string, init?: RequestInit) => Promise<Response>

/** GitHub's replies to our requests are a few KB (100 runners are ~60 KB); more is not GitHub. */
export const MAX_REPLY_BYTES = 4 * 1024 * 1024

/** A reply refused for its size; not retried (see retryDelay), as the same answer would come. */
export class ReplyTooLargeError extends Error {}

/**
 * The budget ran out: an attempt refused before it was sent, or one cut short by what was left
 * of the budget (not by its own timeout). Work sized to a budget (prune-runners) tells it apart
 * from GitHub's failures: what it did not get to is left for the next run, not failed.
 */
export class BudgetSpentError extends Error {}

/** Whether the budget, not GitHub, ended this request (through octokit's and fetch's causes). */
export function isBudgetSpent(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause)
    if (e instanceof BudgetSpentError) return true
  return false
}

/**
 * Wraps fetch so that each attempt times out, no attempt starts after the step's budget, no
 * reply body larger than MAX_REPLY_BYTES is held in memory, and GitHub's clock is learned from
 * each reply's Date header.
 * A timed-out attempt becomes a network error, which @octokit/request reports (and we retry)
 * like a refused or reset connection.
 * Gap: octokit has no per-attempt timeout, and undici's own (headers, body) are 300 s each.
 * Gap: octokit reads bodies with text()/arrayBuffer() and swallows their errors (a body it could
 * not read becomes ''), so a size limit inside the stream would show as an empty reply. The body
 * is therefore read here, counted, within the attempt's timeout, and handed on as a new Response.
 */
export function createBoundedFetch(
  { http, now, deadline, clock }: ClientDeps,
  fetch: Fetch
): Fetch {
  return async (url, init) => {
    deadline.at ??= now() + http.budgetMs
    const remaining = deadline.at - now()
    if (remaining <= 0) {
      throw new TypeError('fetch failed', {
        cause: new BudgetSpentError(
          `no answer from GitHub within ${http.budgetMs / 1000} s, retries included`
        )
      })
    }
    const timeoutMs = Math.min(http.timeoutMs, remaining)
    const signal = AbortSignal.timeout(timeoutMs)
    try {
      const what = `${init?.method ?? 'GET'} ${new URL(url).pathname}`
      const response = await fetch(url, { ...init, signal })
      // Every reply, error or not, tells GitHub's time: one place learns it for all clients.
      clock.learn(response.headers.get('date'))
      return await readBounded(response, what)
    } catch (error) {
      if (!signal.aborted) throw error
      // The AbortError says only "aborted"; this cause says why, and @octokit/request shows it.
      const Cause = timeoutMs < http.timeoutMs ? BudgetSpentError : Error
      // eslint-disable-next-line preserve-caught-error
      throw new TypeError('fetch failed', { cause: new Cause(`no answer within ${timeoutMs} ms`) })
    }
  }
}

/** The statuses whose Response may not have a body (fetch's "null body status"). */
const NULL_BODY = new Set([101, 103, 204, 205, 304])

async function readBounded(response: Response, what: string): Promise<Response> {
  if (!response.body) return response
  const tooLarge = () =>
    new ReplyTooLargeError(
      `GitHub's reply to ${what} is larger than ${MAX_REPLY_BYTES / 1024 / 1024} MB, so it was not read. Something between this runner and GitHub (a proxy) may have answered instead; check 'github-api-url'.`
    )
  if (Number(response.headers.get('content-length')) > MAX_REPLY_BYTES) {
    await response.body.cancel()
    throw tooLarge()
  }
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_REPLY_BYTES) {
      await reader.cancel()
      throw tooLarge()
    }
    chunks.push(value)
  }
  const { status, statusText, headers } = response
  const body = NULL_BODY.has(status) ? null : Buffer.concat(chunks)
  // undici's Response, not the global one: the reply came from the bundled undici (proxyFetchFor),
  // and Node loads its own copy of undici's fetch (~20 ms of a step's start) at the first touch of
  // the global Response.
  const copy = new UndiciResponse(body, { status, statusText, headers }) as unknown as Response
  // octokit reports the final URL (after redirects) as the response's `url`.
  Object.defineProperty(copy, 'url', { value: response.url })
  return copy
}
