import type { RunnerSelection } from '../../../src/lib/requests.js'
import { decideRunner, type ListedRunner } from '../../../src/lib/prune/decide-runner.js'

const NOW = Date.UTC(2026, 10, 23, 17, 0, 0)
const HOUR = 3_600_000
const selection: RunnerSelection = {
  prefix: 'mint-token',
  labels: [],
  olderThanMs: HOUR,
  includeUnknownAge: false
}
/** A generated name whose time is `ageMs` before NOW. */
const named = (ageMs: number, prefix = 'mint-token') =>
  `${prefix}-${Math.floor((NOW - ageMs) / 1000).toString(36)}-4242-1-a1b2c3`
const runner = (patch: Partial<ListedRunner> = {}): ListedRunner => ({
  id: 7,
  name: named(3 * HOUR),
  status: 'offline',
  busy: false,
  labels: [{ name: 'self-hosted' }, { name: 'Linux' }],
  ...patch
})

describe('decideRunner', () => {
  test.each<[string, Partial<ListedRunner>, Partial<RunnerSelection>, string, string]>([
    ['offline and old', {}, {}, 'remove', 'offline and older than 1h'],
    ['online and idle', { status: 'online' }, {}, 'keep', 'online'],
    ['online and busy', { status: 'online', busy: true }, {}, 'keep', 'busy'],
    ['offline but busy', { busy: true }, {}, 'keep', 'busy'],
    ['offline and new', { name: named(12 * 60_000) }, {}, 'keep', 'younger than 1h'],
    ['exactly at the limit', { name: named(HOUR) }, {}, 'remove', 'offline and older than 1h'],
    [
      'older-than 90m',
      { name: named(HOUR) },
      { olderThanMs: 90 * 60_000 },
      'keep',
      'younger than 1h 30m'
    ],
    ['named in the future', { name: named(-HOUR) }, {}, 'keep', 'younger than 1h'],
    [
      'no timestamp',
      { name: 'mint-token-build-box' },
      {},
      'keep',
      'age unknown (no timestamp in name)'
    ],
    [
      'no timestamp, include-unknown-age',
      { name: 'mint-token-build-box' },
      { includeUnknownAge: true },
      'remove',
      'offline, age unknown (no timestamp in name; include-unknown-age)'
    ],
    [
      'no timestamp, include-unknown-age, online',
      { name: 'mint-token-build-box', status: 'online' },
      { includeUnknownAge: true },
      'keep',
      'online'
    ],
    [
      'another prefix',
      { name: named(3 * HOUR, 'other') },
      {},
      'ignore',
      "name does not start with 'mint-token'"
    ],
    [
      'labels all present (any case)',
      {},
      { labels: ['linux', 'SELF-HOSTED'] },
      'remove',
      'offline and older than 1h'
    ],
    [
      'labels missing',
      {},
      { labels: ['linux', 'gpu', 'arm64'] },
      'ignore',
      "lacks label 'gpu', 'arm64'"
    ]
  ])('%s → %s', (_case, patch, choose, decision, reason) => {
    expect(decideRunner(runner(patch), { ...selection, ...choose }, NOW)).toMatchObject({
      decision,
      reason
    })
  })

  test('a name generated under a longer prefix tells its age: a booting runner is kept', () => {
    const gpu = (ageMs: number) => runner({ name: named(ageMs, 'mint-token-gpu') })
    const choose = { ...selection, includeUnknownAge: true }
    expect(decideRunner(gpu(60_000), choose, NOW)).toEqual({
      decision: 'keep',
      reason: 'younger than 1h',
      ageMs: 60_000
    })
    expect(decideRunner(gpu(2 * HOUR), choose, NOW)).toMatchObject({ decision: 'remove' })
  })

  test('a name under a prefix of the prefix is not touched, however old', () => {
    for (const name of [named(3 * HOUR, 'mint'), named(3 * HOUR, 'mint-toke')])
      expect(decideRunner(runner({ name }), selection, NOW)).toMatchObject({ decision: 'ignore' })
  })
})
