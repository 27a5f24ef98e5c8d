/** What happened to each runner that matched: the audit trail for the log, summary and outputs. */
export type PruneDecision = 'removed' | 'would remove' | 'kept' | 'already gone' | 'failed'

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
  /** Matched the selection but kept (online, busy, too young, age unknown). */
  kept: number
  /** The caller fails the step at the end if there are any. */
  failed: Array<RunnerRef & { reason: string }>
  considered: PruneRow[]
}

export function pruneResult(rows: PruneRow[]): PruneResult {
  const ref = ({ id, name }: PruneRow): RunnerRef => ({ id, name })
  return {
    removed: rows.filter((r) => r.decision === 'removed' || r.decision === 'would remove').map(ref),
    kept: rows.filter((r) => r.decision === 'kept').length,
    failed: rows
      .filter((r) => r.decision === 'failed')
      .map((r) => ({ ...ref(r), reason: r.reason })),
    considered: rows
  }
}
