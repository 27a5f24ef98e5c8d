import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { isProcessAlive } from '../../../src/lib/refresher-control/is-process-alive.js'
import type { RefreshStatus } from '../../../src/lib/refresher-control/refresh-status.js'
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { logLines } from '../../harness/assert-no-leaks.js'
import { expectAllRevoked } from '../../harness/expect-all-revoked.js'
import { newJob, runStep, type Job, type StepResult } from '../../harness/run-action.js'

/**
 * Issue 13, items 1, 2 and 7, through the bundled dist/ (npm run build first): how the main step
 * starts the refresher (no inspector, no core dump, its own directory) and what it watches to know
 * that the job is over, under a plain parent, a wrapper, a PID namespace as `docker exec` gives a
 * `container:` job's steps, and a runner worker further up.
 */

const NODE = join(resolve(import.meta.dirname, '../../..'), 'node_modules/.bin/node')
const TIMEOUT = execFileSync('which', ['timeout'], { encoding: 'utf8' }).trim()

let fake: FakeGitHub
let job: Job
const cleanups: (() => void)[] = []
beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { contents: 'read' }
  })
  job = newJob(fake.url)
})
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  await fake.close()
  for (const dir of [job.temp, job.workspace]) rmSync(dir, { recursive: true, force: true })
})

const INPUTS = () => ({
  'app-id': String(fake.app.id),
  'private-key': fake.app.privateKey,
  'token-file': 'true',
  'token-refresh': 'true'
})
const NO_WORKER =
  "No runner worker (Runner.Worker) is among this step's ancestors (a container job, or a wrapper): the refresher stops with the post step, at the runner's clean-up of orphan processes, or after 6 hours."
const workerLine = (pid: number) =>
  `The refresher stops with the post step, when the runner's worker (pid ${pid}) ends, or after 6 hours.`

interface Refresher {
  pid: number
  nonce: string
  statusFile: string
  dir: string
}
const refresherOf = (main: StepResult) =>
  (JSON.parse(main.state.handoff!) as { refresher: Refresher }).refresher
const statusOf = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as RefreshStatus

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}
/** TCP ports the process listens on: its socket inodes, looked up in its network's tables. */
function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>()
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const socket = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))
      if (socket) inodes.add(socket[1]!)
    } catch {
      // Closed meanwhile.
    }
  }
  return ['tcp', 'tcp6'].flatMap((table) =>
    readFileSync(`/proc/${pid}/net/${table}`, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      // Columns: sl, local address:port (hex), remote, state (0A: LISTEN), …, inode (10th).
      .filter((fields) => fields[3] === '0A' && inodes.has(fields[9]!))
      .map((fields) => parseInt(fields[1]!.split(':')[1]!, 16))
  )
}
/** The soft and hard RLIMIT_CORE of a process, as /proc shows them. */
const coreLimitOf = (pid: number) =>
  /^Max core file size\s+(\S+)\s+(\S+)/m
    .exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))!
    .slice(1)
    .join(' ')
const coresIn = (dir: string) => readdirSync(dir).filter((name) => name.startsWith('core'))

/** A runner whose core dumps are on (this machine's default is off): where would one land? */
const CORE_DUMPS_ON = ['prlimit', '--core=unlimited', '--']
/**
 * A wrapper that stays the step's parent and exits with it. Not a POSIX sh: dash drops the
 * INPUT_<NAME> variables whose names hold a hyphen, which the runner passes as they are.
 */
const WRAPPER = ['timeout', '600']

describe('the refresher: no inspector, no core dump, its own directory', () => {
  test('SIGUSR1 and NODE_OPTIONS=--inspect open no port; it keeps running; a crash dumps no core', async () => {
    // The checks below see an inspector when there is one, and the wrapper raises the limit.
    const control = spawn(CORE_DUMPS_ON[0]!, [
      ...CORE_DUMPS_ON.slice(1),
      NODE,
      '--inspect=127.0.0.1:0',
      '-e',
      'setInterval(() => {}, 1000)'
    ])
    cleanups.push(() => control.kill('SIGKILL'))
    await until('the control inspector', () => listeningPorts(control.pid!).length === 1, 10_000)

    const main = await runStep(
      job,
      'main',
      INPUTS(),
      {},
      {
        wrapper: CORE_DUMPS_ON,
        env: { NODE_OPTIONS: '--inspect=127.0.0.1:0' }
      }
    )
    expect(main.errors).toEqual([])
    expect(main.exitCode).toBe(0)
    // The step's own node honoured the variable (as the runner's would): it was in force.
    expect(main.stderr).toContain('Debugger listening on ws://127.0.0.1:')
    const { pid, dir, statusFile } = refresherOf(main)
    cleanups.push(() => isProcessAlive(pid) && process.kill(pid, 'SIGKILL'))
    expect(readlinkSync(`/proc/${pid}/cwd`)).toBe(dir)
    expect(coreLimitOf(control.pid!)).toBe('unlimited unlimited')
    expect(coreLimitOf(pid)).toBe('0 0')
    expect(listeningPorts(pid)).toEqual([])

    // What any later step of the job may send. A node that allows it, sent the same signal just
    // after, opens its inspector: by then the refresher's would be open too, were it allowed.
    const allowing = spawn(NODE, [
      '--inspect-port=127.0.0.1:0',
      '-e',
      "console.log('ready'); setInterval(() => {}, 1000)"
    ])
    cleanups.push(() => allowing.kill('SIGKILL'))
    // Its code runs once node is set up, SIGUSR1 handler included.
    await new Promise((r) => allowing.stdout.once('data', r))
    process.kill(pid, 'SIGUSR1')
    process.kill(allowing.pid!, 'SIGUSR1')
    await until(
      'the inspector opened by SIGUSR1',
      () => listeningPorts(allowing.pid!).length === 1,
      10_000
    )
    expect(listeningPorts(pid)).toEqual([])
    // It lives on, and still refreshes on schedule (its loop, on a fake clock: refresh-loop.test.ts).
    expect(isProcessAlive(pid)).toBe(true)
    expect(statusOf(statusFile)).toMatchObject({ pid, state: 'running' })

    // It crashes: no core file, where a core_pattern of 'core' would put one (its directory).
    process.kill(pid, 'SIGSEGV')
    await until('the crashed refresher gone', () => !isProcessAlive(pid), 30_000)
    expect([...coresIn(dir), ...coresIn(job.workspace)]).toEqual([])

    // The post step still revokes the token it finds in the file.
    const current = readFileSync(main.outputs['token-file']!, 'utf8')
    const post = await runStep(job, 'post', INPUTS(), main.state)
    expect(post.exitCode).toBe(0)
    expect(logLines(post)).toContain('The token refresher had already stopped.')
    expect(fake.tokens.get(current)?.revoked).toBe(true)
  }, 120_000)
})

describe('the refresher under a wrapper: the parent is short-lived', () => {
  test('no worker among the ancestors: it keeps running after the wrapper is gone', async () => {
    const main = await runStep(job, 'main', INPUTS(), {}, { wrapper: WRAPPER })
    expect(main.errors).toEqual([])
    expect(main.exitCode).toBe(0)
    expect(logLines(main)).toContain(NO_WORKER)
    const { pid, statusFile } = refresherOf(main)
    cleanups.push(() => isProcessAlive(pid) && process.kill(pid, 'SIGKILL'))
    // The wrapper exited with the step: the refresher watches no process (no worker in its
    // configuration), so it runs on until the post step stops it.
    expect(statusOf(statusFile)).toMatchObject({ state: 'running' })
    const post = await runStep(job, 'post', INPUTS(), main.state)
    expect(logLines(post)).toContain('Stopped the token refresher.')
    expectAllRevoked(fake)
  }, 120_000)

  test('the runner worker two levels up: it is watched, and its end stops the refresher', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'mint-token-runner-bin-'))
    cleanups.push(() => rmSync(bin, { recursive: true, force: true }))
    // A stand-in for the runner's bin/Runner.Worker, by that name, which waits for its child as
    // the worker does; a wrapper between it and the step.
    symlinkSync(TIMEOUT, join(bin, 'Runner.Worker'))
    const wrapper = [join(bin, 'Runner.Worker'), '600', ...WRAPPER]
    const main = await runStep(job, 'main', INPUTS(), {}, { wrapper })
    expect(main.errors).toEqual([])
    expect(main.exitCode).toBe(0)
    expect(logLines(main)).toContain(workerLine(main.pid))
    // The worker ended with the step here, as it does with the job: the job is over.
    const { statusFile } = refresherOf(main)
    await until('the stop', () => statusOf(statusFile).state === 'stopped', 30_000)
    expect(statusOf(statusFile).stopReason).toBe('parent gone')
    expectAllRevoked(fake)
  }, 60_000)
})

/** A PID namespace whose init lives on, as a container's does; its host pid. */
async function pidNamespace(): Promise<number> {
  const unshare = spawn('unshare', ['--pid', '--fork', '--mount-proc', 'sleep', '600'], {
    stdio: 'ignore'
  })
  let init = 0
  const initOf = () =>
    readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .find((name) => {
        try {
          const status = readFileSync(`/proc/${name}/status`, 'utf8')
          return status.includes(`\nPPid:\t${unshare.pid}\n`) && /\nNSpid:\t\d+\t1\n/.test(status)
        } catch {
          return false
        }
      })
  await until('the namespace', () => (init = Number(initOf() ?? 0)) > 0, 10_000)
  // Only SIGKILL reaches a namespace's init from outside; it takes every process inside along.
  cleanups.push(() => process.kill(init, 'SIGKILL'))
  return init
}

const asRoot = process.getuid?.() === 0 ? describe : describe.skip

asRoot('the refresher in a container job: the step runs in a PID namespace', () => {
  test('parent pid 0, as under `docker exec`: it starts, runs, and the post step stops it', async () => {
    const init = await pidNamespace()
    // Each step enters the namespace as `docker exec` does: its parent is outside, pid 0 inside.
    const wrapper = ['nsenter', '--target', String(init), '--pid', '--mount', '--']
    const main = await runStep(job, 'main', INPUTS(), {}, { wrapper })
    expect(main.errors).toEqual([])
    expect(logLines(main)).toContain(NO_WORKER)
    const { statusFile } = refresherOf(main)
    expect(statusOf(statusFile)).toMatchObject({ state: 'running' })
    const post = await runStep(job, 'post', INPUTS(), main.state, { wrapper })
    expect(logLines(post)).toContain('Stopped the token refresher.')
    expectAllRevoked(fake)
  }, 120_000)
})
