/** A small Markdown table for the job summary. Values must never be secrets. */
export function renderSummary(title: string, rows: [string, string][]): string {
  const escape = (value: string) => value.replace(/\|/g, '\\|').replace(/\n/g, ' ')
  const body = rows.map(([name, value]) => `| ${name} | ${escape(value)} |`).join('\n')
  return `### ${title}\n\n| | |\n|---|---|\n${body}\n`
}
