import { summaryCell } from '../text/neutralize.js'
import { formatAge } from './format-age.js'
import type { PruneResult } from './prune-result.js'

/** A cell as @actions/core's summary.addTable takes it. */
export type SummaryCell = string | { data: string; header?: boolean }

export interface RenderedPruneResult {
  /** The step's outputs: 'removed' as a JSON array of {id, name}, 'kept' and 'left' as counts. */
  outputs: { removed: string; kept: string; left: string }
  /** Every runner considered, with a header row: the audit trail for the job summary. */
  table: SummaryCell[][]
}

const HEADER = ['Runner', 'ID', 'Status', 'Busy', 'Labels', 'Age', 'Decision', 'Reason']

/**
 * Data only: the caller publishes it (outputs, then summary), so this stays free of side effects.
 * Every cell is escaped (summaryCell): names, labels and reasons come from the network.
 */
export function renderPruneResult(result: PruneResult): RenderedPruneResult {
  const removed = result.removed.map(({ id, name }) => ({ id, name }))
  const rows = result.considered.map((row) =>
    [
      row.name,
      String(row.id),
      row.status,
      row.busy ? 'yes' : 'no',
      row.labels.join(', '),
      row.ageMs === undefined ? 'unknown' : formatAge(row.ageMs),
      row.decision,
      row.reason
    ].map(summaryCell)
  )
  return {
    outputs: {
      removed: JSON.stringify(removed),
      kept: String(result.kept),
      left: String(result.left)
    },
    table: [HEADER.map((data) => ({ data, header: true })), ...rows]
  }
}
