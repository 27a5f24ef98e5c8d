import { jest } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRunnerCore } from '../src/runner/create-runner-core.js'
import { parseFileCommands } from './harness/run-action.js'

/** The runner protocol, byte for byte: what the Actions runner parses. */
describe('runner core', () => {
  const dir = mkdtempSync(join(tmpdir(), 'runner-core-'))
  const files = {
    GITHUB_OUTPUT: join(dir, 'out'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'sum')
  }
  for (const path of Object.values(files)) writeFileSync(path, '')
  const core = createRunnerCore({
    ...files,
    INPUT_REVOKE: ' False ',
    'INPUT_APP-ID': ' 42 ',
    INPUT_SUMMARY: 'yes',
    STATE_token: 't'
  })
  let written: string[]
  beforeEach(() => {
    written = []
    jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk) => (written.push(String(chunk)), true))
  })
  afterEach(() => jest.restoreAllMocks())

  test('inputs are trimmed; booleans follow YAML 1.2 core schema', () => {
    expect(core.getInput('app-id')).toBe('42')
    expect(core.getBooleanInput('revoke')).toBe(false)
    expect(() => core.getBooleanInput('summary')).toThrow(
      "Input 'summary' is 'yes'; expected true or false."
    )
  })

  test('multi-line outputs and state survive as file commands with a random delimiter', () => {
    core.setOutput('jit-config', 'line 1\nline 2')
    core.saveState('runner', '{"a":1}')
    expect(parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8'))).toEqual({
      'jit-config': 'line 1\nline 2'
    })
    expect(readFileSync(files.GITHUB_STATE, 'utf8')).toMatch(
      /^runner<<ghadelimiter_[0-9a-f-]{36}\n\{"a":1\}\nghadelimiter_/
    )
    expect(core.getState('token')).toBe('t')
  })

  test('workflow commands escape data so a message cannot inject a command', () => {
    core.setSecret('s3cret')
    core.warning('50% done\n::add-mask::x')
    core.setFailed('bad\r\ninput')
    expect(written).toEqual([
      '::add-mask::s3cret\n',
      '::warning::50%25 done%0A::add-mask::x\n',
      '::error::bad%0D%0Ainput\n'
    ])
    expect(process.exitCode).toBe(1)
    process.exitCode = 0
  })
})
