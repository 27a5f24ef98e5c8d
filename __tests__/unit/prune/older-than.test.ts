import { formatAge } from '../../../src/lib/prune/format-age.js'
import { parseOlderThan } from '../../../src/lib/prune/parse-older-than.js'

describe("prune inputs: 'older-than'", () => {
  test.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    [' 2H ', 7_200_000],
    ['15 m', 900_000]
  ])('%s', (raw, ms) => {
    expect(parseOlderThan(raw)).toBe(ms)
  })

  test.each(['', '0h', '1.5h', '-1h', '1', 'h', '1y', '1h30m', '99999999999999999d'])(
    "'%s' is refused, naming the input and the expected forms",
    (raw) => {
      expect(() => parseOlderThan(raw)).toThrow(
        `Input 'older-than' is '${raw.trim()}'; expected a positive whole number and a unit, s, m, h, d or w (e.g. '30m', '2h', '1d').`
      )
    }
  )
})

describe('formatAge', () => {
  test.each([
    [0, '0s'],
    [-5000, '0s'],
    [45_999, '45s'],
    [12 * 60_000 + 5000, '12m 5s'],
    [3 * 3_600_000, '3h'],
    [3 * 3_600_000 + 5 * 60_000 + 59_000, '3h 5m'],
    [3 * 3_600_000 + 30_000, '3h'],
    [2 * 86_400_000 + 4 * 3_600_000, '2d 4h'],
    [604_800_000, '7d']
  ])('%d ms → %s', (ms, text) => {
    expect(formatAge(ms)).toBe(text)
  })
})
