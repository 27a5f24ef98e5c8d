import { summaryCell } from '../../lib/text/neutralize.js'
import { formatAge } from '../../lib/prune/format-age.js'
import { renderSummaryValue } from '../publish/summary-value.js'
import {
  describeTotals,
  type PruneDecision,
  type PruneResult
} from '../../lib/prune/prune-result.js'

/** A cell as @actions/core's summary.addTable takes it. */
export type SummaryCell = string | { data: string; header?: boolean }

export interface RenderedPruneResult {
  /** The step's outputs: 'removed' as a JSON array of {id, name}, 'kept' and 'left' as counts. */
  outputs: { removed: string; kept: string; left: string }
  /** 'removed 2, kept 4, failed 0': the line above the table. */
  totals: string
  /** Every runner considered, with a header row: the audit trail for the job summary. */
  table: SummaryCell[][]
}

const HEADER = ['Runner', 'ID', 'Status', 'Busy', 'Labels', 'Age', 'Decision', 'Reason']

/**
 * Data only: the caller publishes it (outputs, then summary), so this stays free of side effects.
 * Every cell is escaped (summaryCell): names, labels and reasons come from the network. Runner
 * names are shown as code, removed runners' decisions in bold.
 */
export function renderPruneResult(
  result: PruneResult,
  options: { dryRun: boolean }
): RenderedPruneResult {
  const removed = result.removed.map(({ id, name }) => ({ id, name }))
  const rows = result.considered.map((row) => [
    renderSummaryValue({ code: row.name }),
    ...[
      String(row.id),
      row.status,
      row.busy ? 'yes' : 'no',
      row.labels.join(', '),
      row.ageMs === undefined ? 'unknown' : formatAge(row.ageMs)
    ].map(summaryCell),
    decisionCell(row.decision),
    summaryCell(row.reason)
  ])
  return {
    outputs: {
      removed: JSON.stringify(removed),
      kept: String(result.kept),
      left: String(result.left)
    },
    totals: describeTotals(result, options),
    table: [HEADER.map((data) => ({ data, header: true })), ...rows]
  }
}

/** The rows that changed the fleet stand out from the many that are kept. */
function decisionCell(decision: PruneDecision): string {
  const text = summaryCell(decision)
  return decision === 'removed' || decision === 'would remove' ? `<strong>${text}</strong>` : text
}
