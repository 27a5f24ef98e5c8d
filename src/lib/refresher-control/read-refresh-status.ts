import { readFileSync } from 'node:fs'
import { neutralize } from '../text/neutralize.js'
import { STOP_REASONS, type CurrentTokenStatus } from './refresh-status.js'

/** What the post step reports and needs from the refresher: counts, hashes, the current token. */
export interface RefreshSummary {
  refreshes: number
  failures: number
  /** The last failure's reason, neutralized. */
  lastError?: string
  /** Replaced tokens that could not be revoked (they expire by themselves within the hour). */
  revocationFailures: number
  /** Why it stopped, when it did by itself ('token file gone', 'deadline', …). */
  stopReason?: string
  /** The expiry of the token now in the file, as GitHub wrote it. */
  expiresAt?: string
  /** Each token's hash, oldest first (see RefreshStatus.tokenHashes). */
  tokenHashes: string[]
  /** The token in the file, by hash, and the file (see CurrentTokenStatus). */
  current?: CurrentTokenStatus
}

const count = (value: unknown) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0
/** A SHA-256 in base64: 43 characters and one '='. */
const isHash = (value: unknown): value is string =>
  typeof value === 'string' && /^[A-Za-z0-9+/]{43}=$/.test(value)
const isId = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
const isTime = (value: unknown): value is string =>
  typeof value === 'string' && /^[0-9T:.+-]{10,40}Z?$/.test(value) && !isNaN(Date.parse(value))
const KNOWN_REASONS: readonly string[] = STOP_REASONS

/**
 * The refresher's status file, read by the post step. A missing, unreadable or malformed file
 * (the refresher never started, or was killed mid-write of a temporary file) reads as no
 * refreshes and no failures: the summary must not fail the post step. Each field is checked,
 * and one that is not what the refresher writes is dropped: the post step picks the file it
 * reads and deletes by it.
 */
export function readRefreshStatus(statusFile: string): RefreshSummary {
  let data: Record<string, unknown> = {}
  try {
    const parsed = JSON.parse(readFileSync(statusFile, 'utf8')) as unknown
    if (typeof parsed === 'object' && parsed !== null) data = parsed as Record<string, unknown>
  } catch {
    // Missing or malformed: nothing to report.
  }
  const hashes = Array.isArray(data.tokenHashes) ? data.tokenHashes : []
  const summary: RefreshSummary = {
    refreshes: count(data.refreshes),
    failures: count(data.failures),
    revocationFailures: count(data.revocationFailures),
    tokenHashes: hashes.every(isHash) ? hashes : []
  }
  if (typeof data.lastError === 'string' && data.lastError)
    summary.lastError = neutralize(data.lastError)
  if (KNOWN_REASONS.includes(data.stopReason as string))
    summary.stopReason = data.stopReason as string
  if (isTime(data.expiresAt)) summary.expiresAt = data.expiresAt
  const current = currentOf(data.current)
  if (current) summary.current = current
  return summary
}

function currentOf(value: unknown): CurrentTokenStatus | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { hash, dev, ino, revoked } = value as Record<string, unknown>
  if (!isHash(hash) || !isId(dev) || !isId(ino)) return undefined
  return { hash, dev, ino, revoked: revoked === true }
}
