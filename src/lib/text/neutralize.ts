/** Longest foreign text a log line, annotation or summary cell carries before it is cut. */
export const FOREIGN_TEXT_LIMIT = 300

/**
 * Makes text that came from the network or from an input safe to put in a log line, an
 * annotation or an error: the runner reads a workflow command at the start of any line, so no
 * line break (CR, LF, or Unicode's line and paragraph separators) may survive, nor other control
 * characters (terminal escapes can hide what follows). Each becomes a space; the result is cut to
 * `limit` characters, ending in "…" when cut. @actions/core's info() prints lines as given, so
 * this is ours to do.
 */
export function neutralize(text: unknown, limit = FOREIGN_TEXT_LIMIT): string {
  // Control characters are what this removes, so the pattern must name them.
  // eslint-disable-next-line no-control-regex
  const flat = String(text).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
  const chars = [...flat]
  return chars.length > limit ? `${chars.slice(0, limit - 1).join('')}…` : flat
}

/**
 * A summary cell: neutralized, then escaped so that foreign text cannot add markup to the job
 * summary (core.summary puts cell text into HTML as is, and GitHub renders it as Markdown).
 */
export function summaryCell(text: unknown): string {
  return neutralize(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/`/g, '&#96;')
}
