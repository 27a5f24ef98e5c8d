import { InputError } from '../../lib/input-error.js'

/**
 * Where a postgres:// URL points, as it may be printed: host and port (or the socket folder),
 * never the user, the password or the query string. The URL holds the password, so neither it
 * nor a driver's message that might quote it ever reaches a log line or an error.
 */
export function postgresTarget(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new InputError(
      'database: is not a valid postgres:// URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE; percent-encode any of : / @ ? # in the password).'
    )
  }
  const host = decodeURIComponent(parsed.hostname) || parsed.searchParams.get('host') || 'localhost'
  return `PostgreSQL at ${host.startsWith('/') ? host : `${host}:${parsed.port || '5432'}`}`
}

/**
 * PostgreSQL's error classes (the first two characters of SQLSTATE), for the ones a broker
 * meets: https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const SQLSTATE_CLASSES: Record<string, string> = {
  '08': 'the connection failed',
  '28': 'the user or password was refused',
  '3D': 'there is no such database',
  '40': 'a transaction was rolled back',
  '42': 'a table is missing or not accessible to this user',
  '53': 'the server lacks resources (connections, disk or memory)',
  '57': 'the server is shutting down or cancelled the query'
}

/**
 * A driver's failure by its code alone: a system error's (ECONNREFUSED) or the server's
 * SQLSTATE with its class, else what kind of failure it was. The driver's message is never
 * used: this is the only text about the database that reaches the log.
 */
export function describePostgresError(error: unknown, target: string): string {
  const code = (error as { code?: unknown } | null)?.code
  // System codes first: EPIPE has a SQLSTATE's shape, and no SQLSTATE class starts with E.
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return `${target}: ${code}`
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code))
    return `${target}: SQLSTATE ${code} (${SQLSTATE_CLASSES[code.slice(0, 2)] ?? "see PostgreSQL's error codes"})`
  const message = error instanceof Error ? error.message : ''
  if (/timeout/i.test(message)) return `${target}: timed out`
  if (/terminated|ended|closed/i.test(message)) return `${target}: the connection was closed`
  return `${target}: the query failed`
}
