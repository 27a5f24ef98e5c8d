/**
 * Checks on a 2xx reply's body before anything is built from it. GitHub documents these fields as
 * always present, but a proxy, a captive portal or a fault in between can hand us anything: a
 * missing field must end in an error that names the request and the field, never in a TypeError
 * or in a request built from `undefined` (such as `POST /app/installations//access_tokens`).
 * Values are never quoted in the error: a reply may carry a secret or hostile text.
 */
export class ReplyShapeError extends Error {}

/** A positive safe integer, as GitHub's ids are; it may go into a later request's path. */
export function requireInteger(data: unknown, field: string, request: string): number {
  const value = valueAt(data, field)
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value
  throw shapeError({ data, field, request, expected: 'a positive integer' }, value)
}

/** A non-empty string. */
export function requireString(data: unknown, field: string, request: string): string {
  const value = valueAt(data, field)
  if (typeof value === 'string' && value !== '') return value
  throw shapeError({ data, field, request, expected: 'a non-empty string' }, value)
}

/** GitHub's timestamps: ISO 8601 with a time zone, e.g. '2026-11-23T17:00:00Z'. */
const ISO_8601 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)$/

/** An ISO 8601 time: it is printed and saved to state, so nothing else may pass. */
export function requireTimestamp(data: unknown, field: string, request: string): string {
  const value = valueAt(data, field)
  if (typeof value === 'string' && ISO_8601.test(value) && !Number.isNaN(Date.parse(value)))
    return value
  throw shapeError({ data, field, request, expected: 'an ISO 8601 time' }, value)
}

/**
 * A JSON array of objects, such as a list reply's `runners`. Check each entry's fields with the
 * request named as `${request} (${field}[])`, e.g. requireInteger(runner, 'id', …).
 */
export function requireObjects(
  data: unknown,
  field: string,
  request: string
): Record<string, unknown>[] {
  const value = valueAt(data, field)
  const expected = 'an array of objects'
  if (!Array.isArray(value)) throw shapeError({ data, field, request, expected }, value)
  const items = value as unknown[]
  const odd = items.findIndex((item) => !isRecord(item))
  if (odd >= 0) throw shapeError({ data, field, request, expected }, items[odd], 'it holds')
  return items as Record<string, unknown>[]
}

/** The string-valued entries of an object field (e.g. `permissions`); {} when it is absent. */
export function stringEntries(data: unknown, field: string): Record<string, string> {
  const value = valueAt(data, field)
  if (!isRecord(value)) return {}
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string')
  )
}

/** Reads a dotted path such as 'runner.id'; undefined where any step is not an object. */
function valueAt(data: unknown, field: string): unknown {
  let value = data
  for (const key of field.split('.')) {
    value = isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined
  }
  return value
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

interface Expectation {
  data: unknown
  field: string
  request: string
  expected: string
}

function shapeError(
  { data, field, request, expected }: Expectation,
  value: unknown,
  verb = 'got'
): ReplyShapeError {
  if (!isRecord(data)) {
    return new ReplyShapeError(
      `GitHub's reply to ${request} is not a JSON object (got ${kindOf(data, 'text')}), so it lacks '${field}' (${expected}). Something between this runner and GitHub (a proxy or firewall) may have answered instead; check 'github-api-url' and the runner's network.`
    )
  }
  return new ReplyShapeError(
    `GitHub's reply to ${request} lacks '${field}': expected ${expected}, ${verb} ${kindOf(value, 'a string')}.`
  )
}

/** What a value is, without showing it. */
function kindOf(value: unknown, aString: string): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (value === '') return 'an empty string'
  if (typeof value === 'string') return aString
  if (typeof value === 'number') return `the number ${value}`
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  return `a ${typeof value}`
}
