import { summaryCell } from '../../lib/text/neutralize.js'

/**
 * One part of a summary cell: text, or code (a token hash, a runner name), or either linked.
 * Every text is escaped (summaryCell), so foreign text stays text; the markup is ours.
 */
export type SummaryPart = string | { code: string; href?: string } | { text: string; href: string }

/** A summary cell's value: one part, or parts shown one after the other. */
export type SummaryValue = SummaryPart | SummaryPart[]

/** The cell's HTML: core.summary puts it into the table as is. */
export function renderSummaryValue(value: SummaryValue): string {
  return (Array.isArray(value) ? value : [value]).map(renderPart).join('')
}

function renderPart(part: SummaryPart): string {
  if (typeof part === 'string') return summaryCell(part)
  const inner = 'code' in part ? `<code>${summaryCell(part.code)}</code>` : summaryCell(part.text)
  // Links are built from GitHub's web URL and checked names; still, only http(s) becomes a link.
  if (!part.href || !/^https?:\/\//.test(part.href)) return inner
  return `<a href="${summaryCell(part.href).replace(/"/g, '&quot;')}">${inner}</a>`
}
