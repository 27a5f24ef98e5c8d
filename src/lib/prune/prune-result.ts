import { neutralize } from '../text/neutralize.js'

/** What happened to each runner that matched: the audit trail for the log, summary and outputs. */
export type PruneDecision =
  | 'removed'
  | 'would remove'
  | 'kept'
  /** GitHub refused its DELETE with 422: it took a job after the check right before. */
  | 'busy at deletion'
  | 'already gone'
  /** Stale, but the prune's time ran out before it was removed (see pruneBudgetMs). */
  | 'left for the next run'
  | 'failed'

export interface PruneRow {
  id: number
  name: string
  status: string
  busy: boolean
  labels: string[]
  /** Since the time in its generated name; undefined when it carries none. */
  ageMs?: number
  decision: PruneDecision
  reason: string
}

export interface RunnerRef {
  id: number
  name: string
}

export interface PruneResult {
  /** Removed, or in a dry run what would have been. */
  removed: RunnerRef[]
  /** Matched the selection but kept (online, busy, too young, age unknown, busy at deletion). */
  kept: number
  /** Stale, not reached before the prune's time ran out: not failures, the next run's work. */
  left: number
  /** The caller fails the step at the end if there are any. */
  failed: Array<RunnerRef & { reason: string }>
  considered: PruneRow[]
}

export function pruneResult(rows: PruneRow[]): PruneResult {
  const ref = ({ id, name }: PruneRow): RunnerRef => ({ id, name })
  const count = (...decisions: PruneDecision[]) =>
    rows.filter((r) => decisions.includes(r.decision)).length
  return {
    removed: rows.filter((r) => r.decision === 'removed' || r.decision === 'would remove').map(ref),
    kept: count('kept', 'busy at deletion'),
    left: count('left for the next run'),
    failed: rows
      .filter((r) => r.decision === 'failed')
      .map((r) => ({ ...ref(r), reason: r.reason })),
    considered: rows
  }
}

/**
 * 'removed 2, kept 4, failed 0, 1 already gone': the log's last line and the summary's totals.
 * Failures are always counted, so a reader sees that none failed; the rarer counts when present.
 */
export function describeTotals(result: PruneResult, { dryRun }: { dryRun: boolean }): string {
  const gone = result.considered.filter((r) => r.decision === 'already gone').length
  return [
    `${dryRun ? 'would remove' : 'removed'} ${result.removed.length}`,
    `kept ${result.kept}`,
    `failed ${result.failed.length}`,
    ...(gone > 0 ? [`${gone} already gone`] : []),
    ...(result.left > 0 ? [describeLeft(result.left)] : [])
  ].join(', ')
}

/** '3 runners left for the next run': the log's and the summary's words for it. */
export function describeLeft(left: number): string {
  return `${left} runner${left === 1 ? '' : 's'} left for the next run`
}

/**
 * Why a prune fails at the end, or undefined when none failed: every runner that could not be
 * removed, by name, ID and reason (foreign text, neutralized).
 */
export function failedRunnersMessage(result: PruneResult): string | undefined {
  if (result.failed.length === 0) return undefined
  const names = result.failed.map((r) => `${r.name} (id ${r.id}): ${r.reason}`).join('; ')
  return neutralize(`${result.failed.length} runner(s) could not be removed: ${names}`)
}
