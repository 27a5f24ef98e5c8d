/** Splits a comma- or newline-separated input into trimmed, non-empty entries. */
export function splitList(raw: string): string[] {
  return raw
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
}
