import { readFileSync } from 'node:fs'
import { neutralize } from '../text/neutralize.js'

/** What the post step reports: how many refreshes happened and how many attempts failed. */
export interface RefreshSummary {
  refreshes: number
  failures: number
  /** The last failure's reason, neutralized. */
  lastError?: string
  /** Replaced tokens that could not be revoked (they expire by themselves within the hour). */
  revocationFailures: number
}

const count = (value: unknown) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0

/**
 * The refresher's status file, read for the post step's summary. A missing, unreadable or
 * malformed file (the refresher never started, or was killed mid-write of a temporary file)
 * reads as no refreshes and no failures: the summary must not fail the post step.
 */
export function readRefreshStatus(statusFile: string): RefreshSummary {
  let data: Record<string, unknown> = {}
  try {
    const parsed = JSON.parse(readFileSync(statusFile, 'utf8')) as unknown
    if (typeof parsed === 'object' && parsed !== null) data = parsed as Record<string, unknown>
  } catch {
    // Missing or malformed: nothing to report.
  }
  const summary: RefreshSummary = {
    refreshes: count(data.refreshes),
    failures: count(data.failures),
    revocationFailures: count(data.revocationFailures)
  }
  if (typeof data.lastError === 'string' && data.lastError)
    summary.lastError = neutralize(data.lastError)
  return summary
}
