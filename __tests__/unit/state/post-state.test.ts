import type { HandoffState } from '../../../src/lib/handoff/hand-off.js'
import { readHandoffState } from '../../../src/action/state/handoff-state.js'
import { readPostState } from '../../../src/action/state/minted-state.js'
import { readUndone, saveState } from '../../../src/action/state/post-state.js'
import { testContext } from '../../harness/test-context.js'

/**
 * The main → post state contract (src/action/state): the text of each key, as main steps of
 * earlier versions wrote it, so that a post step reads what its main step wrote; and each value
 * read back as it was saved. Forged state is covered end to end in e2e-post-state.
 */

const TOKEN = 'ghs_state0contract0token0000000000000000'
const revocation = {
  apiUrl: 'https://api.github.com',
  expiresAt: '2099-01-01T00:00:00Z',
  revoke: true,
  summary: false
}
const file = { path: '/tmp/mint/token', createdDirs: ['/tmp/mint'], dev: 2049, ino: 77 }
const handoff: HandoffState = {
  file,
  refresher: {
    pid: 4242,
    nonce: '0123456789abcdef0123456789abcdef',
    dir: '/tmp/refresh',
    statusFile: '/tmp/refresh/status.json'
  },
  git: { undo: { GIT_CONFIG_COUNT: '', GIT_CONFIG_KEY_0: '' } }
}

describe('post state: the text of each key', () => {
  test('token and revocation: the token as is, the JSON fields in their order', () => {
    const { ctx, state } = testContext({})
    // Given in another order: the text keeps the contract's.
    const { apiUrl, expiresAt, revoke, summary } = revocation
    saveState(ctx.core, { token: TOKEN, revocation: { summary, revoke, expiresAt, apiUrl } })
    expect(state).toEqual({
      token: TOKEN,
      revocation:
        '{"apiUrl":"https://api.github.com","expiresAt":"2099-01-01T00:00:00Z","revoke":true,"summary":false}'
    })
  })

  test('runner: a registration token and a just-in-time runner', () => {
    const registration = testContext({})
    saveState(registration.ctx.core, {
      runner: {
        summary: true,
        expiresAt: '2099-01-01T00:00:00Z',
        cleanup: 'never',
        kind: 'runner-registration'
      }
    })
    expect(registration.state.runner).toBe(
      '{"kind":"runner-registration","cleanup":"never","expiresAt":"2099-01-01T00:00:00Z","summary":true}'
    )
    const jit = testContext({})
    saveState(jit.ctx.core, {
      runner: {
        runnerName: 'r-1',
        runnerId: 7,
        summary: false,
        cleanup: 'if-unused',
        kind: 'runner-jit'
      }
    })
    expect(jit.state.runner).toBe(
      '{"kind":"runner-jit","cleanup":"if-unused","runnerId":7,"runnerName":"r-1","summary":false}'
    )
  })

  test("handoff: the library's value as JSON; nothing handed off saves no key", () => {
    const { ctx, state } = testContext({})
    saveState(ctx.core, { handoff: {} })
    expect(state).toEqual({})
    saveState(ctx.core, { handoff })
    expect(JSON.parse(state.handoff!)).toEqual(handoff)
  })

  test('undone: the cause as is, and a value main would not write reads as none', () => {
    const { ctx, state } = testContext({})
    saveState(ctx.core, { undone: 'SIGTERM' })
    expect(state.undone).toBe('SIGTERM')
    expect(readUndone(ctx.core)).toBe('SIGTERM')
    expect(readUndone(testContext({ state: { undone: 'cancelled' } }).ctx.core)).toBeUndefined()
  })
})

describe('post state: read back as saved', () => {
  test('an installation token, masked first', () => {
    const { ctx, state } = testContext({})
    saveState(ctx.core, { token: TOKEN, revocation })
    const post = testContext({ state })
    expect(readPostState(post.ctx)).toEqual({
      kind: 'installation-token',
      token: TOKEN,
      ...revocation
    })
    expect(post.events[0]).toEqual({ kind: 'mask', value: TOKEN })
  })

  test('a just-in-time runner', () => {
    const { ctx, state } = testContext({})
    const runner = {
      kind: 'runner-jit',
      cleanup: 'always',
      runnerId: 7,
      runnerName: 'r-1',
      summary: true
    } as const
    saveState(ctx.core, { runner })
    expect(readPostState(testContext({ state }).ctx)).toEqual(runner)
  })

  test('the hand-off', () => {
    const { ctx, state } = testContext({})
    saveState(ctx.core, { handoff })
    expect(readHandoffState(testContext({ state }).ctx.core)).toEqual({
      kind: 'usable',
      value: { ...handoff, git: { ...handoff.git, file: undefined } }
    })
  })
})

describe('post state: a hand-off main could not have written is unusable, and says why', () => {
  const cases: [string, unknown, string][] = [
    [
      'a relative path',
      { file: { ...file, path: 'token' } },
      "'file.path' is not an absolute path"
    ],
    [
      'a directory that does not contain the file',
      { reader: { ...file, createdDirs: ['/etc'] } },
      "'reader.createdDirs' holds a directory that does not contain the file"
    ],
    ['no file identity', { file: { ...file, ino: -1 } }, "'file' has no file identity"],
    [
      'pid 1',
      { refresher: { ...handoff.refresher, pid: 1 } },
      "'refresher.pid' is not a process id"
    ],
    [
      'a variable that is not git',
      { git: { undo: { LD_PRELOAD: '/tmp/x.so' } } },
      "'git.undo' holds a variable that is not git's or a value main would not set"
    ],
    ['a list', [file], "'handoff' is not an object"]
  ]
  test.each(cases)('%s', (_name, value, reason) => {
    const core = testContext({ state: { handoff: JSON.stringify(value) } }).ctx.core
    expect(readHandoffState(core)).toEqual({ kind: 'unusable', reason })
  })

  test('text that is not JSON', () => {
    const core = testContext({ state: { handoff: '{file:' } }).ctx.core
    expect(readHandoffState(core)).toEqual({ kind: 'unusable', reason: "'handoff' is not JSON" })
  })
})
