import type { Core } from '../context.js'

/** A job-summary section: a heading and a two-column table. Values must never be secrets. */
export interface SummaryTable {
  title: string
  rows: [string, string][]
}

/** core.summary inserts cell text into HTML as is: escape it so a value cannot add markup. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * Appends the table to the job summary with @actions/core's table builder. A summary that cannot
 * be written (no GITHUB_STEP_SUMMARY, as outside a runner) costs one info line, never the step.
 */
export async function writeSummary(
  core: Pick<Core, 'summary' | 'info'>,
  table: SummaryTable
): Promise<void> {
  const rows = table.rows.map(([name, value]) => [
    { data: escapeHtml(name), header: true },
    escapeHtml(value)
  ])
  try {
    await core.summary.addHeading(escapeHtml(table.title), 3).addTable(rows).write()
  } catch (error) {
    core.info(
      `The job summary was not written (${error instanceof Error ? error.message : String(error)}).`
    )
  }
}
