import { describeExpiry, formatUtc } from '../../../src/action/publish/describe-expiry.js'

/** The job summary's times: UTC to the second, and the time left by GitHub's clock (fixed here). */
const MINTED = Date.parse('2026-12-04T20:47:09.400Z')

describe('describeExpiry', () => {
  test.each([
    [MINTED, '2026-12-04 21:47:09 UTC (in 59 min)'],
    [Date.parse('2026-12-04T20:47:09Z'), '2026-12-04 21:47:09 UTC (in 60 min)'],
    [MINTED + 59 * 60_000, '2026-12-04 21:47:09 UTC (in under 1 min)'],
    [MINTED + 60 * 60_000, '2026-12-04 21:47:09 UTC (expired)'],
    [MINTED - 3 * 3_600_000, '2026-12-04 21:47:09 UTC (in 3 h 59 min)']
  ])('at %p', (now, expected) => {
    expect(describeExpiry('2026-12-04T21:47:09Z', now)).toBe(expected)
  })

  test('an unreadable time is shown as given', () => {
    expect(describeExpiry('soon', MINTED)).toBe('soon')
    expect(formatUtc('soon')).toBe('soon')
  })

  test('an offset in the time is shown in UTC', () => {
    expect(formatUtc('2026-12-04T23:47:09+02:00')).toBe('2026-12-04 21:47:09 UTC')
  })
})
