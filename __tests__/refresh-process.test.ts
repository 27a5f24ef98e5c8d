import { spawn, type ChildProcess } from 'node:child_process'
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { tokenHash } from '../src/lib/installation/token-hash.js'
import { readRefreshStatus } from '../src/lib/refresher-control/read-refresh-status.js'
import type { RefreshStatus } from '../src/lib/refresher-control/refresh-status.js'
import type { RefresherConfig } from '../src/lib/refresher-control/refresher-config.js'
import { REFRESHER_MARKER } from '../src/lib/refresher-control/refresher-marker.js'
import { startRefresher } from '../src/lib/refresher-control/start-refresher.js'
import { stopRefresher } from '../src/lib/refresher-control/stop-refresher.js'
import { startFakeGitHub, type FakeGitHub } from './fake-github/server.js'
import { appJwt, call } from './fake-github/test-client.js'
import { fragmentsOf, keyLinesOf } from './harness/assert-no-leaks.js'

/**
 * The bundled refresher (dist/refresh/index.js, so `npm run build` first) as the main step starts
 * it and the post step stops it, against the fake over HTTP with short-lived tokens.
 */

const ROOT = resolve(import.meta.dirname, '..')
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
async function mintIntoFile(): Promise<{ token: string; file: string; config: RefresherConfig }> {
  const mintedAt = new Date().toISOString()
  const answer = await call(fake, 'POST', '/app/installations/1000/access_tokens', {
    auth: await appJwt(fake),
    body: SCOPE
  })
  const { token, expires_at } = answer.body as { token: string; expires_at: string }
  const file = join(mkdtempSync(join(tmpdir(), 'mint-token-file-')), 'token')
  writeFileSync(file, token, { mode: 0o600 })
  const config: RefresherConfig = {
    apiUrl: fake.url,
    appId: String(fake.app.id),
    privateKey: fake.app.privateKey,
    installationId: 1000,
    ...SCOPE,
    tokenFile: file,
    expiresAt: expires_at,
    mintedAt,
    clockOffsetMs: 0,
    statusFile: join(mkdtempSync(join(tmpdir(), 'mint-token-refresh-')), 'status.json'),
    deadline: new Date(Date.now() + 600_000).toISOString()
  }
  fake.requests.length = 0
  return { token, file, config }
}

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

/** Reads the token file every 2 ms and keeps what was wrong with any read. */
function watchTokenFile(file: string) {
  const seen = new Set<string>()
  const problems: string[] = []
  let reads = 0
  const timer = setInterval(() => {
    const text = readFileSync(file, 'utf8')
    reads++
    if (!usable(text)) problems.push(text === '' ? 'an empty file' : 'a token GitHub refuses')
    seen.add(text)
  }, 2)
  return { seen, problems, reads: () => reads, stop: () => clearInterval(timer) }
}

describe('refresher: a long job with 75-second tokens', () => {
  test('refreshes twice after one failed mint, revokes each old token, renames a new file in, stops on SIGTERM', async () => {
    // Short enough for a test, long enough for the floor of a minute between two mints.
    fake.tokenLifetimeMs = 75_000
    const { token: first, file, config } = await mintIntoFile()
    // The refresher's first attempt (≈50 s in) fails; its retry 5 s later must work, and the
    // next one comes a minute after that (the floor), 15 s before the second token expires.
    fake.inject({ method: 'POST', path: /access_tokens$/, times: 1, fault: { status: 502 } })
    const watch = watchTokenFile(file)
    const started = Date.now()
    const handle = await startRefresher(config, {
      script: SCRIPT,
      execPath: NODE,
      env: STEP_ENV(config.privateKey)
    })
    const startMs = Date.now() - started

    // Nothing secret in its argv or environment, and no input or file-command variable.
    const cmdline = readFileSync(`/proc/${handle.pid}/cmdline`, 'utf8').split('\0')
    expect(cmdline.slice(1, 5)).toEqual([
      '--disable-sigusr1',
      SCRIPT,
      REFRESHER_MARKER,
      handle.nonce
    ])
    const environ = readFileSync(`/proc/${handle.pid}/environ`, 'utf8')
    expect(environ).not.toMatch(/INPUT_|GITHUB_/)
    expect(environ.split('\0').map((v) => v.split('=')[0])).toContain('RUNNER_TEMP')

    await until('two refreshes', () => rawStatus(config.statusFile).refreshes >= 2, 150_000)
    const runMs = Date.now() - started
    const tokens = [...fake.tokens.keys()]
    expect(tokens).toHaveLength(3)
    const [, second, third] = tokens as [string, string, string]
    expect(tokens[0]).toBe(first)
    // The first token went 5 s before its expiry (sooner than its grace); the second is in its grace.
    expect(fake.tokens.get(first)!.revoked).toBe(true)
    expect(usable(second)).toBe(true)
    for (const secret of [...tokens, ...keyLinesOf(config.privateKey)]) {
      for (const part of fragmentsOf(secret)) {
        expect(readFileSync(`/proc/${handle.pid}/cmdline`, 'utf8')).not.toContain(part)
        expect(readFileSync(`/proc/${handle.pid}/environ`, 'utf8')).not.toContain(part)
        expect(readFileSync(config.statusFile, 'utf8')).not.toContain(part)
      }
    }
    expect(rawStatus(config.statusFile)).toMatchObject({
      pid: handle.pid,
      state: 'running',
      failures: 1,
      lastError: expect.stringMatching(/^HTTP 502: Server Error/) as unknown,
      expiresAt: fake.tokens.get(third)!.expiresAt.toISOString().replace('.000Z', 'Z')
    })

    // The post step's stop: the replaced token still in its grace is revoked on the way out.
    const stopping = Date.now()
    expect(await stopRefresher(handle)).toBe('stopped')
    const stopMs = Date.now() - stopping
    watch.stop()
    expect(await gone(handle.pid)).toBe(true)
    expect(stopMs).toBeLessThan(3_000)
    expect(fake.tokens.get(second)!.revoked).toBe(true)
    // The current token is the post step's to revoke, after reading it from the file.
    expect(usable(third)).toBe(true)
    expect(readFileSync(file, 'utf8')).toBe(third)

    // The mints asked for the same scope; the failed one left the first token in the file.
    const mints = fake.requests.filter((r) => r.method === 'POST')
    expect(mints.map((r) => r.status)).toEqual([502, 201, 201])
    expect(mints.map((r) => r.body)).toEqual([SCOPE, SCOPE, SCOPE])
    const revocations = fake.requests.filter((r) => r.method === 'DELETE')
    expect(revocations.map((r) => `${r.path} ${r.auth} ${r.status}`)).toEqual([
      '/installation/token token 204',
      '/installation/token token 204'
    ])
    // A new file renamed over the path each time (no temporary file left); no reader ever saw
    // an empty file or a dead token. The file at the path is the one the refresher says it wrote
    // last. (Not compared with the first file's inode: freed at the first rename, the kernel may
    // give it to the third file.)
    expect(rawStatus(config.statusFile).current).toMatchObject({
      dev: lstatSync(file).dev,
      ino: lstatSync(file).ino
    })
    expect(lstatSync(file).mode & 0o777).toBe(0o600)
    expect(readdirSync(dirname(file))).toEqual(['token'])
    expect(watch.problems).toEqual([])
    expect([...watch.seen]).toEqual([first, second, third])
    expect(lstatSync(config.statusFile).mode & 0o777).toBe(0o600)
    expect(rawStatus(config.statusFile)).toMatchObject({
      state: 'stopped',
      stopReason: 'SIGTERM',
      revocations: 2
    })
    // Each token by its hash, and the current one's file, for the post step.
    const { dev, ino } = lstatSync(file)
    expect(readRefreshStatus(config.statusFile)).toEqual({
      refreshes: 2,
      failures: 1,
      lastError: expect.stringMatching(/^HTTP 502: Server Error/) as unknown,
      revocationFailures: 0,
      stopReason: 'SIGTERM',
      expiresAt: fake.tokens.get(third)!.expiresAt.toISOString().replace('.000Z', 'Z'),
      tokenHashes: tokens.map(tokenHash),
      current: { hash: tokenHash(third), dev, ino, revoked: false }
    })
    expect(await stopRefresher(handle)).toBe('not running')
    console.log(
      `refresher: started in ${startMs} ms, 2 refreshes by ${runMs} ms, stopped in ${stopMs} ms, ${watch.reads()} reads of the file`
    )
  }, 180_000)
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
    const killed = Date.now()
    const code = await new Promise((r) => child.once('exit', r))
    expect(Date.now() - killed).toBeLessThan(7_000)
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
    const privateKey = config.privateKey.replace(/\n[A-Za-z0-9+/]{64}\n/, '\nnot-base64\n')
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
