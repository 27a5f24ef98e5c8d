// Shared by scripts/bench.mjs and scripts/bench-tricks.mjs: medians and the plain-text table.

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Rows of strings; the first is the header. First column left-aligned, the others right. */
export function printTable(table) {
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)))
  const line = (row) =>
    row
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd()
  console.log(line(table[0]))
  console.log(widths.map((w) => '─'.repeat(w)).join('  '))
  for (const row of table.slice(1)) console.log(line(row))
}
