import type { Core, SummaryRow } from '../action-context.js'
import { neutralize, summaryCell } from '../../lib/text/neutralize.js'
import { renderSummaryValue, type SummaryValue } from './summary-value.js'

/** A job-summary section: a heading and a two-column table. Values must never be secrets. */
export interface SummaryTable {
  title: string
  rows: [string, SummaryValue][]
}

/**
 * Appends the table to the job summary with @actions/core's table builder, every text escaped
 * (see renderSummaryValue). A summary that cannot be written (no GITHUB_STEP_SUMMARY, as outside a
 * runner) costs one info line, never the step.
 */
export async function writeSummary(
  core: Pick<Core, 'summary' | 'info'>,
  table: SummaryTable
): Promise<void> {
  const rows = table.rows.map(([name, value]) => [
    { data: summaryCell(name), header: true },
    renderSummaryValue(value)
  ])
  await writeSummaryRows(core, table.title, rows)
}

/**
 * A table whose cells the caller has escaped already (see summaryCell), under a heading and, when
 * given, a line of text (escaped here).
 */
export async function writeSummaryRows(
  core: Pick<Core, 'summary' | 'info'>,
  title: string,
  rows: SummaryRow[],
  options: { note?: string } = {}
): Promise<void> {
  try {
    const summary = core.summary.addHeading(summaryCell(title), 3)
    if (options.note) summary.addRaw(`<p>${summaryCell(options.note)}</p>`, true)
    await summary.addTable(rows).write()
  } catch (error) {
    core.info(
      `The job summary was not written (${neutralize(error instanceof Error ? error.message : error)}).`
    )
  }
}
