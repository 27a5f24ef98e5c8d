import type { JitSettings } from '../../lib/requests.js'

/**
 * What the state parsers share. Hand-written: the runtime dependencies hold no schema library,
 * and a reason must be our own wording that never quotes the value (it may be forged, or hold
 * a secret); a library's errors would have to be reworded, and would load in every post step.
 */

/** A state value as the post step found it: usable, or the reason it is not. */
export type Parsed<T> = { kind: 'usable'; value: T } | Unusable

export interface Unusable {
  kind: 'unusable'
  reason: string
}

export const usable = <T>(value: T): Parsed<T> => ({ kind: 'usable', value })
export const unusable = (reason: string): Unusable => ({ kind: 'unusable', reason })

export type Json = Record<string, unknown>

/** What a field must be, and how a reason says so. */
export interface Check<T> {
  is: (value: unknown) => value is T
  expected: string
}

/** The JSON a state key holds; `name` is the key, for the reason. */
export function parseJson(name: string, raw: string): Parsed<unknown> {
  try {
    return usable(JSON.parse(raw) as unknown)
  } catch {
    return unusable(`'${name}' is not JSON`)
  }
}

/** `value` as an object (not null, not a list); `what` words the reason. */
export function asObject(value: unknown, name: string, what = 'an object'): Parsed<Json> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return unusable(`'${name}' is not ${what}`)
  return usable(value as Json)
}

/**
 * The fields `checks` names, own properties only, checked in the order given: the first that
 * fails is the reason, so that one state gives one reason.
 */
export function readFields<T extends Json>(
  object: Json,
  name: string,
  checks: { [K in keyof T]: Check<T[K]> }
): Parsed<T> {
  const fields: Json = {}
  for (const [field, check] of Object.entries(checks) as [string, Check<unknown>][]) {
    const value = Object.hasOwn(object, field) ? object[field] : undefined
    if (!check.is(value)) return unusable(`'${name}' has no ${field} that is ${check.expected}`)
    fields[field] = value
  }
  return usable(fields as T)
}

export const BOOLEAN: Check<boolean> = {
  is: (value): value is boolean => typeof value === 'boolean',
  expected: 'true or false'
}

export const ISO_TIME: Check<string> = {
  is: (value): value is string =>
    typeof value === 'string' &&
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)$/.test(value) &&
    !Number.isNaN(Date.parse(value)),
  expected: 'an ISO 8601 time'
}

export const API_URL: Check<string> = {
  is: (value): value is string => typeof value === 'string',
  expected: 'a URL'
}
/** A positive safe integer, as GitHub's ids are: nothing else may go into a request's path. */
export const POSITIVE_ID: Check<number> = {
  is: (value): value is number =>
    typeof value === 'number' && Number.isSafeInteger(value) && value > 0,
  expected: 'a positive integer'
}
export const CLEANUP: Check<JitSettings['cleanup']> = {
  is: (value): value is JitSettings['cleanup'] =>
    value === 'never' || value === 'if-unused' || value === 'always',
  expected: 'never, if-unused or always'
}
/** GitHub's limit is 64 characters; it is only compared and (neutralized) printed. */
export const RUNNER_NAME: Check<string> = {
  is: (value): value is string =>
    typeof value === 'string' && value.length > 0 && value.length <= 64,
  expected: 'a runner name'
}
