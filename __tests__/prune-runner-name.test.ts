import { runnerCreatedAt } from '../src/prune/runner-created-at.js'
import { generatedRunnerName } from '../src/runners/generate-jit-config.js'

const NOW = Date.UTC(2026, 10, 23, 17, 0, 0)
type JitInputs = Parameters<typeof generatedRunnerName>[0]
const inputs = (namePrefix: string, id = '4242', attempt = '1') =>
  ({ jit: { namePrefix }, run: { id, attempt } }) as unknown as JitInputs

describe('generated runner names: <prefix>-<base36 unix seconds>-<run id>-<run attempt>-<6 hex>', () => {
  test('embed the creation time, which reads back to the second', () => {
    const name = generatedRunnerName(inputs('mint-token'), NOW + 999)
    expect(name).toMatch(/^mint-token-toysk0-4242-1-[0-9a-f]{6}$/)
    expect(runnerCreatedAt(name, 'mint-token')).toBe(NOW)
  })

  test('differ per call', () => {
    const names = new Set(Array.from({ length: 20 }, () => generatedRunnerName(inputs('p'), NOW)))
    expect(names.size).toBeGreaterThan(1)
  })

  test('shorten a long prefix to fit 64 characters, keeping every other part', () => {
    const prefix = `${'a'.repeat(30)}-${'b'.repeat(33)}`
    const name = generatedRunnerName(inputs(prefix, '12345678901', '3'), NOW)
    expect(name).toHaveLength(64)
    expect(name).toMatch(/^a{30}-b+-toysk0-12345678901-3-[0-9a-f]{6}$/)
    expect(runnerCreatedAt(name, prefix)).toBe(NOW)
  })

  test("read back with run id 'local' (no GITHUB_RUN_ID)", () => {
    expect(runnerCreatedAt(generatedRunnerName(inputs('x', 'local'), NOW), 'x')).toBe(NOW)
  })
})

describe('runnerCreatedAt: only names generated with this prefix', () => {
  test.each([
    ['another prefix', 'other-toysk0-4242-1-a1b2c3', 'mint-token'],
    ['a longer prefix that starts the same', 'mint-token-ci-toysk0-4242-1-a1b2c3', 'mint-token'],
    ['the older format without a time', 'mint-token-4242-1-a1b2c3', 'mint-token'],
    ['an older name whose prefix has a six-letter word', 'ci-runner-4242-1-a1b2c3', 'ci-runner'],
    ['a time before 2020', 'mint-token-abcdef-4242-1-a1b2c3', 'mint-token'],
    ['upper-case hex', 'mint-token-toysk0-4242-1-A1B2C3', 'mint-token'],
    ['a hand-picked name', 'build-box-7', 'mint-token'],
    ['a shortened prefix in a name under 64 characters', 'mint-toysk0-4242-1-a1b2c3', 'mint-token']
  ])('%s: undefined', (_case, name, prefix) => {
    expect(runnerCreatedAt(name, prefix)).toBeUndefined()
  })

  test('a prefix containing dashes and digits', () => {
    expect(runnerCreatedAt('gpu-2-toysk0-99-2-00ff00', 'gpu-2')).toBe(NOW)
  })
})
