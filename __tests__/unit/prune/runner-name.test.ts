import { runnerCreatedAt } from '../../../src/lib/prune/runner-created-at.js'
import { generatedRunnerName } from '../../../src/lib/runners/generate-jit-config.js'

const NOW = Date.UTC(2026, 10, 23, 17, 0, 0)
type JitInputs = Parameters<typeof generatedRunnerName>[0]
const inputs = (namePrefix: string, id = '4242', attempt = '1') =>
  ({ jit: { namePrefix }, run: { id, attempt } }) as unknown as JitInputs

describe('generated runner names: <prefix>-<base36 unix seconds>-<run id>-<run attempt>-<6 hex>', () => {
  test('embed the creation time, which reads back to the second', () => {
    const name = generatedRunnerName(inputs('mint-token'), NOW + 999)
    expect(name).toMatch(/^mint-token-toysk0-4242-1-[0-9a-f]{6}$/)
    expect(runnerCreatedAt(name)).toBe(NOW)
  })

  test('differ per call', () => {
    const names = new Set(Array.from({ length: 20 }, () => generatedRunnerName(inputs('p'), NOW)))
    expect(names.size).toBeGreaterThan(1)
  })

  test('never shorten the prefix: a name that would not fit is refused', () => {
    const prefix = 'p'.repeat(32)
    const name = generatedRunnerName(inputs(prefix, '1234567890123', '12'), NOW)
    expect(name).toHaveLength(63)
    expect(name.startsWith(`${prefix}-toysk0-`)).toBe(true)
    expect(() => generatedRunnerName(inputs(`${prefix}-more`, '1234567890123', '12'), NOW)).toThrow(
      "is longer than GitHub's 64 characters; set a shorter 'runner-name-prefix' or a 'runner-name'."
    )
  })

  test("read back with run id 'local' (no GITHUB_RUN_ID)", () => {
    expect(runnerCreatedAt(generatedRunnerName(inputs('x', 'local'), NOW))).toBe(NOW)
  })
})

describe('runnerCreatedAt: the time of any name in the generated format', () => {
  test.each([
    ['the default prefix', 'mint-token-toysk0-4242-1-a1b2c3'],
    ['a longer prefix that starts the same', 'mint-token-gpu-toysk0-4242-1-a1b2c3'],
    ['another prefix', 'other-toysk0-4242-1-a1b2c3'],
    ['a prefix containing dashes and digits', 'gpu-2-toysk0-99-2-00ff00'],
    ["run id 'local'", 'x-toysk0-local-1-a1b2c3']
  ])('%s', (_case, name) => {
    expect(runnerCreatedAt(name)).toBe(NOW)
  })

  test.each([
    ['the older format without a time', 'mint-token-4242-1-a1b2c3'],
    ['an older name whose prefix ends in a six-letter word', 'ci-runner-4242-1-a1b2c3'],
    ['a time before the format existed', 'mint-token-abcdef-4242-1-a1b2c3'],
    ['upper-case hex', 'mint-token-toysk0-4242-1-A1B2C3'],
    ['a hand-picked name', 'build-box-7']
  ])('%s: undefined', (_case, name) => {
    expect(runnerCreatedAt(name)).toBeUndefined()
  })
})
