import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { installationToken } from '../fake-github/random.js'
import { assertNoLeaks, fragmentsOf, runnerView } from './assert-no-leaks.js'
import type { Job, StepResult } from './run-action.js'

/** The leak check knows nothing of a token's length or alphabet, and finds a cut token too. */
const claims = { appId: 424242, installationId: 1000, expiresAt: new Date(0) }
const stateless = installationToken('stateless', claims)
const classic = installationToken('classic', claims)

function job(): Job {
  const workspace = mkdtempSync(join(tmpdir(), 'leak-test-'))
  return { workspace, temp: tmpdir(), env: {}, path: [], masks: new Set() }
}

/** A step's result with only the parts the leak check reads. */
function step(stdout: string, more: { stderr?: string; summary?: string } = {}): StepResult {
  const empty = { stderr: '', summary: '', state: {}, ...more }
  const rest = {
    exitCode: 0,
    wallMs: 0,
    pid: 0,
    outputs: {},
    exported: {},
    addedPath: [],
    errors: [],
    warnings: []
  }
  return { stdout, ...rest, ...empty }
}

const check =
  (s: StepResult, secret: string, j = job()) =>
  () =>
    assertNoLeaks(j, [s], { maskable: [secret] })

describe('leak check: any token format', () => {
  test.each([
    ['stateless', stateless],
    ['classic', classic]
  ])('%s: its ::add-mask:: line alone is no leak', (_name, token) => {
    expect(check(step(`::add-mask::${token}\nMinted a token.\n`), token)).not.toThrow()
  })

  test.each([
    ['stateless', stateless],
    ['classic', classic]
  ])('%s: printed whole, it is a leak', (_name, token) => {
    expect(check(step(`::add-mask::${token}\ntoken ${token}\n`), token)).toThrow(
      'Secret leak: a secret was printed: 1 line(s)'
    )
  })

  test('a stateless token cut to 300 characters, as a capped log line would, is a leak', () => {
    const cut = `${stateless.slice(0, 299)}…`
    expect(check(step(`::add-mask::${stateless}\n${cut}\n`), stateless)).toThrow(
      'Secret leak: a secret was printed: 1 line(s)'
    )
  })

  test('an ::add-mask:: line after ::stop-commands:: is shown, not obeyed: a leak', () => {
    const stdout = `::stop-commands::x\n::add-mask::${classic}\n::x::\n`
    expect(check(step(stdout), classic)).toThrow('Secret leak: a secret was printed: 1 line(s)')
    expect(
      check(step(`::stop-commands::x\n::x::\n::add-mask::${classic}\n`), classic)
    ).not.toThrow()
  })

  test('the tail of a token in stderr, the summary or a workspace file is a leak', () => {
    const tail = stateless.slice(-60)
    expect(check(step('', { stderr: tail }), stateless)).toThrow('a secret reached stderr')
    expect(check(step('', { summary: tail }), stateless)).toThrow(
      'a secret reached the job summary'
    )
    const j = job()
    writeFileSync(join(j.workspace, 'out.txt'), tail)
    expect(check(step(''), stateless, j)).toThrow(/a secret was written to .*out\.txt/)
  })

  test('fragments cover the whole secret; a short secret is looked for whole', () => {
    const fragments = fragmentsOf(stateless)
    expect(fragments[0]).toBe(stateless.slice(0, 32))
    expect(fragments.at(-1)).toBe(stateless.slice(-32))
    expect(fragmentsOf('A'.repeat(29))).toEqual(['A'.repeat(29)])
  })
})

describe('runnerView: the runner masks what ::add-mask:: registered, from then on', () => {
  test('a mask (stdout or stderr alike) hides later lines, of this and later steps, not earlier ones', () => {
    const masks = new Set<string>()
    const lines = [
      'before ghs_secret',
      '::add-mask::ghs_secret',
      '+ TOKEN=ghs_secret',
      'ghs_secret'
    ]
    expect(runnerView(lines, masks)).toEqual(['before ghs_secret', '+ TOKEN=***', '***'])
    expect(runnerView(['later ghs_secret'], masks)).toEqual(['later ***'])
  })

  test('the longer of two overlapping secrets is masked whole; an empty mask is ignored', () => {
    const masks = new Set<string>()
    const shown = runnerView(
      ['::add-mask::abc', '::add-mask::abcdef', '::add-mask:: ', 'abcdef abc'],
      masks
    )
    expect(shown).toEqual(['*** ***'])
    expect([...masks]).toEqual(['abc', 'abcdef'])
  })

  test('after ::stop-commands:: an ::add-mask:: line is shown, and registers nothing', () => {
    const masks = new Set<string>()
    const lines = ['::stop-commands::t1', '::add-mask::ghs_secret', '::t1::', 'ghs_secret']
    expect(runnerView(lines, masks)).toEqual(['::add-mask::ghs_secret', 'ghs_secret'])
  })
})
