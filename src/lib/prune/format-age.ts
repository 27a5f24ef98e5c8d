const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1]
]

/**
 * A duration as people read it in a log or table: its largest unit and the next one, rounded
 * down and without a zero ('45s', '12m', '3h', '3h 5m', '2d 4h').
 */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  const index = UNITS.findIndex(([, size]) => seconds >= size)
  const [unit, size] = UNITS[index] ?? ['s', 1]
  const major = Math.floor(seconds / size)
  const [nextUnit, nextSize] = UNITS[index + 1] ?? ['', 1]
  const minor = nextUnit ? Math.floor((seconds % size) / nextSize) : 0
  return minor > 0 ? `${major}${unit} ${minor}${nextUnit}` : `${major}${unit}`
}
