import { spawn, type ChildProcess } from 'node:child_process'
import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { tokenHash } from '../../../src/lib/installation/token-hash.js'
import { readRefreshStatus } from '../../../src/lib/refresher-control/read-refresh-status.js'
import type { RefreshStatus } from '../../../src/lib/refresher-control/refresh-status.js'
import { REFRESHER_MARKER } from '../../../src/lib/refresher-control/refresher-marker.js'
import { startRefresher } from '../../../src/lib/refresher-control/start-refresher.js'
import { stopRefresher } from '../../../src/lib/refresher-control/stop-refresher.js'
import { systemClock } from '../../../src/lib/refresher-control/clock.js'
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { mintIntoFile as mintIntoFileOf } from '../../harness/refresher-in-process.js'
import { fragmentsOf, keyLinesOf } from '../../harness/assert-no-leaks.js'

/**
 * The bundled refresher (dist/refresh/index.js, so `npm run build` first) as the main step starts
 * it and the post step stops it, against the fake over HTTP: what only a process shows (its
 * argv, environment, signals, exit and silence). Its refreshes, on a fake clock, are in
 * refresh-loop.test.ts; one real refresh is in e2e-refresh-git.test.ts.
 */

const ROOT = resolve(import.meta.dirname, '../../..')
const NODE = join(ROOT, 'node_modules/.bin/node')
const SCRIPT = join(ROOT, 'dist/refresh/index.js')

let fake: FakeGitHub
beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app', 'docs'],
    permissions: { contents: 'write', issues: 'write' }
  })
})
afterEach(async () => fake.close())

const SCOPE = { repositories: ['app'], permissions: { contents: 'read' } }

/** What the main step does before it starts the refresher: mint, and write the token file. */
const mintIntoFile = () => mintIntoFileOf(fake, systemClock(), SCOPE)

/** The main step's environment: the key as an input, the runner's file commands. */
const STEP_ENV = (key: string) => ({
  ...process.env,
  'INPUT_PRIVATE-KEY': key,
  GITHUB_ENV: '/tmp/runner/file_commands/set_env',
  GITHUB_OUTPUT: '/tmp/runner/file_commands/set_output',
  RUNNER_TEMP: tmpdir()
})

const rawStatus = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as RefreshStatus
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}
/** Whether it is gone within a second (its parent, here jest, must reap it first). */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 20; i++) {
    try {
      process.kill(pid, 0)
    } catch {
      return true
    }
    await sleep(50)
  }
  return false
}
/** A token as GitHub would take it now: issued, not revoked, not expired. */
const usable = (token: string) => {
  const issued = fake.tokens.get(token)
  return !!issued && !issued.revoked && issued.expiresAt.getTime() > Date.now()
}

describe('refresher: started by the main step, stopped by the post step', () => {
  test('nothing secret in its argv, environment or status; SIGTERM stops it, leaving the current token to the post step', async () => {
    const { token, file, config } = await mintIntoFile()
    const handle = await startRefresher(config, {
      script: SCRIPT,
      execPath: NODE,
      env: STEP_ENV(config.privateKey!)
    })

    // Nothing secret in its argv or environment, and no input or file-command variable.
    const cmdline = readFileSync(`/proc/${handle.pid}/cmdline`, 'utf8')
    expect(cmdline.split('\0').slice(1, 5)).toEqual([
      '--disable-sigusr1',
      SCRIPT,
      REFRESHER_MARKER,
      handle.nonce
    ])
    const environ = readFileSync(`/proc/${handle.pid}/environ`, 'utf8')
    expect(environ).not.toMatch(/INPUT_|GITHUB_/)
    expect(environ.split('\0').map((v) => v.split('=')[0])).toContain('RUNNER_TEMP')
    for (const part of [...fragmentsOf(token), ...keyLinesOf(config.privateKey!)]) {
      expect(cmdline).not.toContain(part)
      expect(environ).not.toContain(part)
      expect(readFileSync(config.statusFile, 'utf8')).not.toContain(part)
    }
    expect(rawStatus(config.statusFile)).toMatchObject({ pid: handle.pid, state: 'running' })
    expect(lstatSync(config.statusFile).mode & 0o777).toBe(0o600)

    // The post step's stop: the process ends its shutdown by itself (its last status says so),
    // and the current token is the post step's to revoke, after reading it from the file.
    expect(await stopRefresher(handle)).toBe('stopped')
    expect(await gone(handle.pid)).toBe(true)
    expect(rawStatus(config.statusFile)).toMatchObject({ state: 'stopped', stopReason: 'SIGTERM' })
    expect(usable(token)).toBe(true)
    expect(readFileSync(file, 'utf8')).toBe(token)
    const { dev, ino } = lstatSync(file)
    expect(readRefreshStatus(config.statusFile)).toEqual({
      refreshes: 0,
      failures: 0,
      revocationFailures: 0,
      stopReason: 'SIGTERM',
      expiresAt: fake.tokens.get(token)!.expiresAt.toISOString().replace('.000Z', 'Z'),
      tokenHashes: [tokenHash(token)],
      current: { hash: tokenHash(token), dev, ino, revoked: false }
    })
    expect(fake.requests).toEqual([])
    expect(await stopRefresher(handle)).toBe('not running')
  })
})

describe('refresher: the runner worker goes away', () => {
  test('it revokes what it holds, exits by itself and never prints', async () => {
    const { token, config } = await mintIntoFile()
    const parent = spawn(NODE, ['-e', 'setInterval(() => {}, 1000)'])
    await new Promise((r) => parent.once('spawn', r))
    const child = spawn(NODE, [SCRIPT, REFRESHER_MARKER, 'nonce-of-this-test'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH }
    })
    const output = collect(child)
    child.stdin.end(JSON.stringify({ ...config, workerPid: parent.pid }))
    await until('the refresher running', () => isRunning(config.statusFile), 5_000)
    parent.kill('SIGKILL')
    // It looks every 5 s (refresh-loop.test.ts has the exact schedule, on a fake clock).
    const code = await new Promise((r) => child.once('exit', r))
    expect(code).toBe(0)
    expect(output()).toBe('')
    expect(rawStatus(config.statusFile)).toMatchObject({
      state: 'stopped',
      stopReason: 'parent gone'
    })
    // The job is over: no post step will revoke the token, so the refresher did.
    expect(fake.tokens.get(token)!.revoked).toBe(true)
  }, 20_000)
})

describe('refresher: a later step deletes the token file', () => {
  test('it mints no more: it revokes the current token, records it and exits by itself', async () => {
    fake.tokenLifetimeMs = 75_000
    const { token, file, config } = await mintIntoFile()
    const handle = await startRefresher(config, { script: SCRIPT, execPath: NODE })
    rmSync(file)
    await until(
      'the refresher stopped',
      () => rawStatus(config.statusFile).state === 'stopped',
      40_000
    )
    expect(await gone(handle.pid)).toBe(true)
    // It looks every 2 s, and before each mint: whenever it noticed, it minted nothing.
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'DELETE /installation/token 204'
    ])
    expect(fake.tokens.get(token)!.revoked).toBe(true)
    expect(rawStatus(config.statusFile)).toMatchObject({
      stopReason: 'token file gone',
      refreshes: 0,
      current: { hash: tokenHash(token), revoked: true }
    })
    expect(rawStatus(config.statusFile).log.join('\n')).toContain('Revoked the current token.')
  }, 60_000)
})

describe('refresher: the hard deadline', () => {
  test('it exits by itself, leaving the current token to expire', async () => {
    const { token, config } = await mintIntoFile()
    const deadline = new Date(Date.now() + 1_500).toISOString()
    const handle = await startRefresher({ ...config, deadline }, { script: SCRIPT, execPath: NODE })
    await until('the deadline stop', () => rawStatus(config.statusFile).state === 'stopped', 5_000)
    expect(await gone(handle.pid)).toBe(true)
    expect(rawStatus(config.statusFile)).toMatchObject({ stopReason: 'deadline', refreshes: 0 })
    // A self-hosted job may run on past 6 hours and still use it.
    expect(usable(token)).toBe(true)
    expect(fake.requests).toEqual([])
  })
})

describe('refresher: it does not start', () => {
  test('a malformed configuration: the main step gets the reason, nothing runs, no request', async () => {
    const { config } = await mintIntoFile()
    await expect(
      startRefresher({ ...config, installationId: 0 }, { script: SCRIPT, execPath: NODE })
    ).rejects.toThrow(
      "The token refresher did not start: configuration field 'installationId' is not a positive integer."
    )
    const status = rawStatus(config.statusFile)
    expect(status.state).toBe('failed')
    expect(await gone(status.pid)).toBe(true)
    expect(fake.requests).toEqual([])
  })

  test('a bad key is refused without quoting it', async () => {
    const { config } = await mintIntoFile()
    const privateKey = config.privateKey!.replace(/\n[A-Za-z0-9+/]{64}\n/, '\nnot-base64\n')
    const error = await startRefresher(
      { ...config, privateKey },
      { script: SCRIPT, execPath: NODE }
    ).then(
      () => undefined,
      (e: Error) => e
    )
    expect(error?.message).toBe(
      "The token refresher did not start: configuration field 'privateKey' is not a PEM private key."
    )
    for (const line of keyLinesOf(privateKey))
      expect(readFileSync(config.statusFile, 'utf8')).not.toContain(line)
  })

  test('a token file that is a symlink is not followed', async () => {
    const { file, config } = await mintIntoFile()
    const link = join(mkdtempSync(join(tmpdir(), 'mint-token-link-')), 'token')
    symlinkSync(file, link)
    await expect(
      startRefresher({ ...config, tokenFile: link }, { script: SCRIPT, execPath: NODE })
    ).rejects.toThrow('The token refresher did not start: the token file is not a regular file.')
  })

  test('stdin that is not JSON: exit code 2, silently', async () => {
    const child = spawn(NODE, [SCRIPT, REFRESHER_MARKER, 'n'], { stdio: ['pipe', 'pipe', 'pipe'] })
    const output = collect(child)
    child.stdin.end('{ not json')
    expect(await new Promise((r) => child.once('exit', r))).toBe(2)
    expect(output()).toBe('')
  })
})

function isRunning(file: string): boolean {
  try {
    return rawStatus(file).state === 'running'
  } catch {
    return false
  }
}

function collect(child: ChildProcess): () => string {
  let text = ''
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()))
  return () => text
}
