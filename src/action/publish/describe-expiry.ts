/** '2026-12-04 21:47:09 UTC': an ISO 8601 time as the job summary shows it, to the second. */
export function formatUtc(iso: string): string {
  const time = new Date(iso)
  if (Number.isNaN(time.getTime())) return iso
  return `${time.toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

/**
 * '2026-12-04 21:47:09 UTC (in 59 min)': when a credential expires, and how long that is from
 * GitHub's `now` (the server clock: the runner's may be minutes off), rounded down to the minute.
 */
export function describeExpiry(iso: string, now: number): string {
  const left = Date.parse(iso) - now
  if (Number.isNaN(left)) return iso
  return `${formatUtc(iso)} (${describeLeft(left)})`
}

function describeLeft(ms: number): string {
  if (ms <= 0) return 'expired'
  const minutes = Math.floor(ms / 60_000)
  if (minutes < 1) return 'in under 1 min'
  if (minutes < 120) return `in ${minutes} min`
  return `in ${Math.floor(minutes / 60)} h ${minutes % 60} min`
}
