import type { ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import type { RequestMatch } from '../../fake-github/types.js'
import { logLines } from '../../harness/assert-no-leaks.js'
import { expectAllRevoked } from '../../harness/expect-all-revoked.js'
import {
  leftInTemp as leftInTempOf,
  newJob,
  runStep,
  type Job,
  type StepResult
} from '../../harness/run-action.js'
import { until, untilGone } from '../../harness/wait.js'

/**
 * Issue 13, item 10: the runner cancels the job (SIGINT, then SIGTERM, then SIGKILL) while main
 * holds a minted token and is handing it off. Each case holds main at one point after the mint
 * (a request the fake does not answer, or a refresher that does not start yet) and signals it
 * there, through the bundled dist/.
 */

let fake: FakeGitHub
let job: Job

beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { organization_self_hosted_runners: 'write' }
  })
  job = newJob(fake.url)
})
afterEach(async () => fake.close())

/** The whole hand-off: every request and process main makes after the mint. */
const inputs = (more: Record<string, string> = {}) => ({
  'app-id': String(fake.app.id),
  'private-key': fake.app.privateKey,
  'token-file': 'true',
  'git-credentials': 'true',
  'bot-identity': 'true',
  'rate-limit': 'true',
  ...more
})
const BOT: RequestMatch = { method: 'GET', path: /^\/users\// }
const RATE_LIMIT: RequestMatch = { method: 'GET', path: '/rate_limit' }
const REVOKE: RequestMatch = { method: 'DELETE', path: '/installation/token' }
const revocations = () =>
  fake.requests.filter((r) => r.method === 'DELETE' && r.path === '/installation/token')

const leftInTemp = () => leftInTempOf(job)

/** Main, signalled when `held` arrives; the fake never answers it. */
function cancelDuring(held: RequestMatch, signal: NodeJS.Signals, more = {}) {
  let step: ChildProcess | undefined
  fake.onRequest({ ...held, run: () => step!.kill(signal) })
  fake.inject({ ...held, fault: { hang: true } })
  return runStep(job, 'main', inputs(more), {}, { onSpawn: (child) => (step = child) })
}

/** What a cancelled main shows and leaves: an error, no output, file or variable, a revoked token. */
function expectCancelled(main: StepResult, signal: string) {
  expect(main.exitCode).toBe(1)
  expect(main.errors).toEqual([
    `The job was cancelled (${signal}) while the step was handing off what it minted.`
  ])
  expect(logLines(main)).toContain(
    `The job was cancelled (${signal}) after minting; what it had minted and set up is undone.`
  )
  expect(main.outputs).toEqual({})
  expect(main.exported).toEqual({})
  expect(Object.keys(main.state).sort()).toEqual(['revocation', 'token', 'undone'])
  expect(fake.tokens.size).toBe(1)
  expectAllRevoked(fake)
  expect(leftInTemp()).toEqual([])
}

/** The post step after it: says main undid it, sends nothing, does not fail. */
async function expectPostQuiet(main: StepResult, signal: string) {
  const post = await runStep(job, 'post', inputs(), main.state)
  expect(post.exitCode).toBe(0)
  expect(post.warnings).toEqual([])
  expect(logLines(post)).toEqual([
    `The main step was cancelled (${signal}) and revoked the token itself, so there is nothing left to undo.`
  ])
  expect(revocations()).toHaveLength(1)
}

describe('cancel: signalled while a request after the mint is held', () => {
  const held = { 'bot identity': BOT, 'rate limit': RATE_LIMIT }
  test.each([
    ['bot identity', 'SIGINT'],
    ['bot identity', 'SIGTERM'],
    ['rate limit', 'SIGINT'],
    ['rate limit', 'SIGTERM']
  ] as const)(
    '%s request, %s: main revokes and exits; post sees it was undone',
    async (request, signal) => {
      const main = await cancelDuring(held[request], signal)
      expectCancelled(main, signal)
      await expectPostQuiet(main, signal)
    }
  )

  test("the runner's SIGTERM during main's undo does not cut the revocation short", async () => {
    let step: ChildProcess | undefined
    fake.onRequest({ ...REVOKE, run: () => step!.kill('SIGTERM') })
    fake.inject({ ...REVOKE, fault: { latencyMs: 500 } })
    fake.onRequest({ ...BOT, run: () => step!.kill('SIGINT') })
    fake.inject({ ...BOT, fault: { hang: true } })
    const main = await runStep(job, 'main', inputs(), {}, { onSpawn: (c) => (step = c) })
    expectCancelled(main, 'SIGINT')
  })
})

describe('cancel: main could not undo, the post step does from the state saved at the mint', () => {
  test('SIGKILL (the runner gave up waiting) during the bot identity request', async () => {
    const main = await cancelDuring(BOT, 'SIGKILL')
    expect(main.exitCode).not.toBe(0)
    expect(Object.keys(main.state).sort()).toEqual(['revocation', 'token'])
    expect([...fake.tokens.values()].map((t) => t.revoked)).toEqual([false])
    const post = await runStep(job, 'post', inputs(), main.state)
    expect(post.exitCode).toBe(0)
    expect(post.warnings).toEqual([])
    expect(logLines(post)).toEqual(['Revoked the installation token.'])
    expectAllRevoked(fake)
  })

  test("main's revocation refused: a warning, and the post step revokes", async () => {
    fake.inject({ ...REVOKE, fault: { status: 403, message: 'Forbidden' } })
    const main = await cancelDuring(RATE_LIMIT, 'SIGINT')
    expect(main.exitCode).toBe(1)
    expect(main.warnings).toEqual([
      'Could not undo a step of the failed mint (HTTP 403: Forbidden - https://docs.github.com/rest).'
    ])
    expect(Object.keys(main.state).sort()).toEqual(['revocation', 'token'])
    const post = await runStep(job, 'post', inputs(), main.state)
    expect(post.exitCode).toBe(0)
    expect(post.warnings).toEqual([])
    expect(logLines(post)).toEqual(['Revoked the installation token.'])
    expectAllRevoked(fake)
  })
})

describe('cancel: a just-in-time runner, signalled once it is registered', () => {
  test('SIGINT while the intermediate token is revoked: the post step removes the runner', async () => {
    const registered: RequestMatch = { method: 'POST', path: /generate-jitconfig$/ }
    let step: ChildProcess | undefined
    let armed = false
    fake.onRequest({ ...registered, run: () => (armed = true) })
    fake.onRequest({ ...REVOKE, run: () => armed && step!.kill('SIGINT') })
    fake.inject({ ...REVOKE, fault: { hang: true } })
    const jit = {
      'app-id': String(fake.app.id),
      'private-key': fake.app.privateKey,
      owner: 'octo-org',
      'token-type': 'runner-jit',
      'runner-labels': 'self-hosted'
    }
    const main = await runStep(job, 'main', jit, {}, { onSpawn: (child) => (step = child) })
    expect(main.exitCode).not.toBe(0)
    expect(fake.runners).toHaveLength(1)
    const [runner] = fake.runners
    expect(JSON.parse(main.state.runner!)).toEqual({
      kind: 'runner-jit',
      cleanup: 'always',
      runnerId: runner!.id,
      runnerName: runner!.name,
      summary: true
    })
    const post = await runStep(job, 'post', jit, main.state)
    expect(post.exitCode).toBe(0)
    expect(post.warnings).toEqual([])
    expect(logLines(post)).toContain(`Removed runner ${runner!.name} (id ${runner!.id}).`)
    expect(fake.runners).toEqual([])
  })
})

describe('the state saved at the mint', () => {
  test('cannot be written: the step fails before handing off, the token is revoked', async () => {
    const missing = join(job.temp, 'missing/state')
    const main = await runStep(
      job,
      'main',
      inputs({ 'token-refresh': 'true' }),
      {},
      {
        env: { GITHUB_STATE: missing }
      }
    )
    expect(main.exitCode).toBe(1)
    expect(main.errors).toEqual([`Missing file at path: ${missing}`])
    expect(main.outputs).toEqual({})
    expect(fake.requests.map((r) => `${r.method} ${r.path}`).at(-1)).toBe(
      'DELETE /installation/token'
    )
    expect(fake.requests.some((r) => r.path === '/rate_limit')).toBe(false)
    expectAllRevoked(fake)
    expect(leftInTemp()).toEqual([])
  })
})

/**
 * The refresher's start makes no request to hold: main runs it through a wrapper (node's
 * execPath, replaced by an --import in the main step only) that waits for the test's go-ahead
 * before it becomes the refresher, as a slow start on a busy runner would.
 */
function holdRefresherStart() {
  const dir = mkdtempSync(join(tmpdir(), 'mint-token-hold-'))
  const wrapper = join(dir, 'node')
  const node = resolve(import.meta.dirname, '../../../node_modules/.bin/node')
  writeFileSync(
    wrapper,
    `#!/bin/sh\necho $$ > ${dir}/pid\nwhile [ ! -e ${dir}/go ]; do sleep 0.02; done\nexec ${node} "$@"\n`
  )
  chmodSync(wrapper, 0o755)
  return {
    extra: {
      nodeArgs: ['--import', 'data:text/javascript,process.execPath=process.env.TEST_WRAPPER'],
      env: { TEST_WRAPPER: wrapper }
    },
    started: () => existsSync(join(dir, 'pid')),
    pid: () => Number(readFileSync(join(dir, 'pid'), 'utf8')),
    release: () => writeFileSync(join(dir, 'go'), '')
  }
}

describe('cancel: signalled while the token refresher is starting', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)(
    '%s: the refresher is stopped once it runs, the token file removed, the token revoked',
    async (signal) => {
      const hold = holdRefresherStart()
      let step: ChildProcess | undefined
      const running = runStep(
        job,
        'main',
        inputs({ 'token-refresh': 'true' }),
        {},
        {
          ...hold.extra,
          onSpawn: (child) => (step = child)
        }
      )
      await until('the refresher to be started', hold.started, { everyMs: 20 })
      step!.kill(signal)
      hold.release()
      const main = await running
      expectCancelled(main, signal)
      await untilGone(hold.pid())
      await expectPostQuiet(main, signal)
    },
    60_000
  )
})
