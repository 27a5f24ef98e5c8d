import { formatAge } from '../../lib/prune/format-age.js'
import { describeTotals, type PruneResult } from '../../lib/prune/prune-result.js'
import { neutralize } from '../../lib/text/neutralize.js'

/**
 * `runners prune`/`remove`'s result on stdout: one object whose keys are always there, so that a
 * script reads `.removed[].id` or `.runners[] | select(.decision == "kept")` without guessing.
 * `removed` is the sub-action's output of that name (in a dry run: what would be removed).
 */
export function pruneJson(result: PruneResult, { dryRun }: { dryRun: boolean }) {
  return {
    dry_run: dryRun,
    removed: result.removed,
    kept: result.kept,
    left: result.left,
    failed: result.failed,
    runners: result.considered.map((row) => ({
      id: row.id,
      name: row.name,
      status: row.status,
      busy: row.busy,
      labels: row.labels,
      age_seconds: row.ageMs === undefined ? null : Math.floor(row.ageMs / 1000),
      decision: row.decision,
      reason: row.reason
    }))
  }
}

const HEADER = ['RUNNER', 'ID', 'STATUS', 'BUSY', 'LABELS', 'AGE', 'DECISION', 'REASON']

/**
 * The same rows for a person, on stderr: aligned columns and the totals line, as the sub-action's
 * summary shows them. Names, labels and reasons come from the network: each cell is neutralized
 * (no line break or terminal escape), and long ones are cut so the table stays a table.
 */
export function pruneTable(result: PruneResult, { dryRun }: { dryRun: boolean }): string {
  const rows = result.considered.map((row) =>
    [
      row.name,
      String(row.id),
      row.status,
      row.busy ? 'yes' : 'no',
      row.labels.join(','),
      row.ageMs === undefined ? 'unknown' : formatAge(row.ageMs),
      row.decision,
      row.reason
    ].map((cell) => neutralize(cell, 100))
  )
  const totals = `${capitalized(describeTotals(result, { dryRun }))}.`
  if (rows.length === 0) return `No runner matched.\n${totals}\n`
  const widths = HEADER.map((title, i) => Math.max(title.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')
  return [line(HEADER), ...rows.map(line), totals, ''].join('\n')
}

function capitalized(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`
}
