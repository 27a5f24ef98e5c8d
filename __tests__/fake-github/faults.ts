/** Injected failures: error statuses, secondary rate limits, resets, hangs and slow answers. */
import { HttpError } from './http.js'
import type { Fault, FaultRule, RequestMatch } from './types.js'

/** Whether a rule applies to a request: no method or path in the rule means any. */
export function matchesRequest(rule: RequestMatch, method: string, path: string): boolean {
  const { method: m, path: p } = rule
  return (
    (m === undefined || m.toUpperCase() === method) &&
    (p === undefined || (typeof p === 'string' ? p === path : p.test(path)))
  )
}

export const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID FAKE.'

export class Faults {
  private readonly rules: Array<FaultRule & { remaining: number }> = []

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, remaining: rule.times ?? 1 })
  }

  /** The first matching rule with uses left; using it counts down its `times`. */
  take(method: string, path: string): Fault | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && matchesRequest(r, method, path))
    if (!rule) return undefined
    rule.remaining -= 1
    return rule.fault
  }
}

/** The error a status fault answers with; undefined for faults that are not a plain answer. */
export function faultError(fault: Fault): HttpError | undefined {
  if ('secondaryRateLimit' in fault) {
    const retryAfter = String(fault.secondaryRateLimit.retryAfter)
    return new HttpError(403, SECONDARY_RATE_LIMIT_MESSAGE, {}, { 'retry-after': retryAfter })
  }
  if (!('status' in fault)) return undefined
  const headers: Record<string, string> =
    fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) }
  if (fault.status === 429) headers['x-ratelimit-remaining'] = '0'
  return new HttpError(fault.status, fault.message ?? defaultMessage(fault.status), {}, headers)
}

function defaultMessage(status: number): string {
  if (status === 429) return 'API rate limit exceeded'
  if (status === 502) return 'Server Error'
  return 'Internal Server Error'
}
