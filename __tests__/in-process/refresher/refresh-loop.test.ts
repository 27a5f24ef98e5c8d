import { spawn } from 'node:child_process'
import { lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { tokenHash } from '../../../src/lib/installation/token-hash.js'
import { readRefreshStatus } from '../../../src/lib/refresher-control/read-refresh-status.js'
import type { FakeGitHub } from '../../fake-github/server.js'
import { fragmentsOf, keyLinesOf } from '../../harness/assert-no-leaks.js'
import type { FakeClock } from '../../harness/fake-clock.js'
import {
  fakeGitHubOnFakeClock,
  mintIntoFile,
  startInProcess,
  until
} from '../../harness/refresher-in-process.js'

/**
 * The refresher's whole run in process (runRefresher: configuration, loop, status, stop), on a
 * fake clock that the fake GitHub shares, against the fake over HTTP: what the end-to-end tests
 * used to wait minutes of real time for. The process itself (its start, signals, argv and
 * environment, git reading the refreshed file) stays in the end-to-end tests.
 */

let fake: FakeGitHub
let clock: FakeClock
beforeEach(async () => {
  ;({ fake, clock } = await fakeGitHubOnFakeClock())
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app', 'docs'],
    permissions: { contents: 'write', issues: 'write' }
  })
})
afterEach(async () => fake.close())

const SCOPE = { repositories: ['app'], permissions: { contents: 'read' } }
/** GitHub's time now. */
const github = () => clock.now() + fake.clockSkewMs
/** A token as GitHub would take it now: issued, not revoked, not expired. */
const usable = (token: string) => {
  const issued = fake.tokens.get(token)
  return !!issued && !issued.revoked && issued.expiresAt.getTime() > github()
}
const iso = (date: Date) => date.toISOString().replace('.000Z', 'Z')

/**
 * Looks at the token file each time the refresher is idle: each token it held, when (GitHub's
 * time) it showed and the inode of the file, when each was revoked, and whatever was wrong.
 */
function watchTokenFile(file: string, first: string) {
  const swaps = [{ token: first, at: github(), ino: lstatSync(file).ino }]
  const revokedAt = new Map<string, number>()
  const problems: string[] = []
  const look = () => {
    for (const { token } of swaps)
      if (!revokedAt.has(token) && fake.tokens.get(token)?.revoked) revokedAt.set(token, github())
    const text = readFileSync(file, 'utf8')
    if (!usable(text)) problems.push(text === '' ? 'an empty file' : 'a token GitHub refuses')
    if (text !== swaps.at(-1)!.token)
      swaps.push({ token: text, at: github(), ino: lstatSync(file).ino })
  }
  return { swaps, revokedAt, problems, look }
}

describe('refresher: a long job with 75-second tokens', () => {
  test('refreshes twice after one failed mint, revokes each old token, renames a new file in, stops on SIGTERM', async () => {
    fake.tokenLifetimeMs = 75_000
    const { token: first, file, config } = await mintIntoFile(fake, clock, SCOPE)
    // The first attempt (50 s in) fails; its retry 5 s later works, and the next one comes a
    // minute after that (the floor), 15 s before the second token expires.
    fake.inject({ method: 'POST', path: /access_tokens$/, times: 1, fault: { status: 502 } })
    const start = github()
    const refresher = startInProcess(config, clock)
    const watch = watchTokenFile(file, first)
    await refresher.runUntil('two refreshes', () => {
      watch.look()
      return refresher.status().refreshes >= 2
    })
    const tokens = [...fake.tokens.keys()]
    expect(tokens).toHaveLength(3)
    const [, second, third] = tokens as [string, string, string]
    expect(watch.swaps.map((s) => s.token)).toEqual([first, second, third])
    // On GitHub's clock: the failed try at 50 s, its retry 5 s later, the next a minute after.
    expect(watch.swaps.map((s) => s.at - start)).toEqual([0, 55_000, 115_000])
    // The first token went 5 s before its expiry (sooner than its grace); the second is in it.
    expect(watch.revokedAt.get(first)! - start).toBe(70_000)
    expect(usable(second)).toBe(true)
    // Each swap renamed a new file in, made while the one it replaces existed.
    expect(watch.swaps[1]!.ino).not.toBe(watch.swaps[0]!.ino)
    expect(watch.swaps[2]!.ino).not.toBe(watch.swaps[1]!.ino)
    for (const secret of [...tokens, ...keyLinesOf(config.privateKey!)])
      for (const part of fragmentsOf(secret))
        expect(readFileSync(config.statusFile, 'utf8')).not.toContain(part)
    expect(refresher.status()).toMatchObject({
      state: 'running',
      failures: 1,
      lastError: expect.stringMatching(/^HTTP 502: Server Error/) as unknown,
      expiresAt: iso(fake.tokens.get(third)!.expiresAt)
    })

    // The post step's stop: the replaced token still in its grace is revoked on the way out.
    refresher.terminate()
    expect(await refresher.exit).toBe(0)
    watch.look()
    expect(fake.tokens.get(second)!.revoked).toBe(true)
    // The current token is the post step's to revoke, after reading it from the file.
    expect(usable(third)).toBe(true)
    expect(readFileSync(file, 'utf8')).toBe(third)
    // Each replaced token went within 60 s of the swap that replaced it.
    for (const [i, { token }] of watch.swaps.slice(0, -1).entries())
      expect(watch.revokedAt.get(token)! - watch.swaps[i + 1]!.at).toBeLessThanOrEqual(60_000)

    const mints = fake.requests.filter((r) => r.method === 'POST')
    expect(mints.map((r) => r.status)).toEqual([502, 201, 201])
    expect(mints.map((r) => r.body)).toEqual([SCOPE, SCOPE, SCOPE])
    const revocations = fake.requests.filter((r) => r.method === 'DELETE')
    expect(revocations.map((r) => `${r.path} ${r.auth} ${r.status}`)).toEqual([
      '/installation/token token 204',
      '/installation/token token 204'
    ])
    // No reader ever saw an empty file or a dead token; the file at the path is the one the
    // refresher says it wrote last, private, alone in its directory.
    const { dev, ino } = lstatSync(file)
    expect(refresher.status().current).toMatchObject({ dev, ino })
    expect(lstatSync(file).mode & 0o777).toBe(0o600)
    expect(readdirSync(dirname(file))).toEqual(['token'])
    expect(watch.problems).toEqual([])
    expect(lstatSync(config.statusFile).mode & 0o777).toBe(0o600)
    expect(refresher.status()).toMatchObject({
      state: 'stopped',
      stopReason: 'SIGTERM',
      revocations: 2
    })
    // Each token by its hash, and the current one's file, for the post step.
    expect(readRefreshStatus(config.statusFile)).toEqual({
      refreshes: 2,
      failures: 1,
      lastError: expect.stringMatching(/^HTTP 502: Server Error/) as unknown,
      revocationFailures: 0,
      stopReason: 'SIGTERM',
      expiresAt: iso(fake.tokens.get(third)!.expiresAt),
      tokenHashes: tokens.map(tokenHash),
      current: { hash: tokenHash(third), dev, ino, revoked: false }
    })
  })
})

const HOUR = 3_600_000

describe("refresher: GitHub's clock far from the runner's", () => {
  test.each([
    ['2 hours ahead of', -2 * HOUR],
    ['2 hours behind', 2 * HOUR]
  ])(
    "runner clock %s GitHub's: one refresh on GitHub's schedule, the current token left to the post step",
    async (_name, skew) => {
      fake.clockSkewMs = skew
      // By GitHub's clock a 15-second token is replaced when 5 s are left, 10 s in.
      fake.tokenLifetimeMs = 15_000
      const { token: first, file, config } = await mintIntoFile(fake, clock, SCOPE)
      const issued = fake.tokens.get(first)!.expiresAt.getTime()
      const refresher = startInProcess(config, clock)
      await refresher.runUntil('a refresh', () => refresher.status().refreshes >= 1)
      expect(github()).toBe(issued - 5_000)
      const current = readFileSync(file, 'utf8')
      expect(current).not.toBe(first)
      // The first one went at once: 5 s before its expiry is now.
      await refresher.runUntil('the first token revoked', () => fake.tokens.get(first)!.revoked)
      expect(github()).toBe(issued - 5_000)
      refresher.terminate()
      expect(await refresher.exit).toBe(0)
      // main's mint and one refresh: the next may come a minute later at the earliest.
      expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([201])
      expect(usable(current)).toBe(true)
    }
  )
})

describe('refresher: the post step stops it while a mint is under way', () => {
  test('the token in the late reply is revoked; the one in the file is left to the post step', async () => {
    fake.tokenLifetimeMs = 15_000
    const { token: first, file, config } = await mintIntoFile(fake, clock, SCOPE)
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    fake.inject({ method: 'POST', path: /access_tokens$/, fault: { holdReplyUntil: held } })
    const refresher = startInProcess(config, clock)
    try {
      // GitHub has minted the refresh's token; its reply waits.
      await refresher.runUntil("the refresh's mint", () => fake.tokens.size === 2)
      const late = [...fake.tokens.keys()].find((token) => token !== first)!
      refresher.terminate()
      await until('the refresher to take the stop', () => refresher.status().state !== 'running')
      release()
      expect(await refresher.exit).toBe(0)
      expect(fake.tokens.get(late)!.revoked).toBe(true)
      // The late token never reached the file: main's is still current, the post step's to revoke.
      expect(readFileSync(file, 'utf8')).toBe(first)
      expect(usable(first)).toBe(true)
      expect(refresher.status()).toMatchObject({
        state: 'stopped',
        stopReason: 'SIGTERM',
        refreshes: 0
      })
      expect(refresher.status().log.join('\n')).toContain(
        'Revoked the token minted while stopping.'
      )
      expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1)
    } finally {
      release()
    }
  })
})

describe('refresher: a later step deletes the token file after a refresh', () => {
  test('it notices before another mint, revokes what it holds, records it and exits', async () => {
    fake.tokenLifetimeMs = 75_000
    const { token: first, file, config } = await mintIntoFile(fake, clock, SCOPE)
    const refresher = startInProcess(config, clock)
    await refresher.runUntil('the first refresh', () => refresher.status().refreshes >= 1)
    const second = readFileSync(file, 'utf8')
    expect(second).not.toBe(first)
    rmSync(file)
    const minted = fake.requests.filter((r) => r.method === 'POST').length
    await refresher.runUntil('the stop', () => refresher.status().state === 'stopped')
    expect(await refresher.exit).toBe(0)
    // It looks every 2 s, and before each mint: it minted nothing more.
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(minted)
    // The current token, and the replaced one still in its grace: no one holds either.
    expect([first, second].map((t) => fake.tokens.get(t)!.revoked)).toEqual([true, true])
    expect(fake.tokens.size).toBe(2)
    expect(refresher.status()).toMatchObject({
      state: 'stopped',
      stopReason: 'token file gone',
      refreshes: 1,
      current: { hash: tokenHash(second), revoked: true }
    })
    expect(refresher.status().log.join('\n')).toContain('Revoked the current token.')
    expect(readRefreshStatus(config.statusFile).tokenHashes).toEqual([first, second].map(tokenHash))
  })
})

describe("refresher: the runner's worker goes away", () => {
  test('it notices at its next look (every 5 s), revokes the token it holds and exits', async () => {
    const worker = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'])
    await new Promise((r) => worker.once('spawn', r))
    const { token, config } = await mintIntoFile(fake, clock, SCOPE)
    const start = github()
    const refresher = startInProcess({ ...config, workerPid: worker.pid }, clock)
    await refresher.runUntil('its first sleep', () => clock.sleepers() > 0)
    worker.kill('SIGKILL')
    // Reaped (a zombie would still answer a signal 0 where /proc is not looked at).
    await new Promise((r) => worker.once('exit', r))
    await refresher.runUntil('the stop', () => refresher.status().state === 'stopped')
    expect(await refresher.exit).toBe(0)
    expect(github() - start).toBe(5_000)
    expect(refresher.status()).toMatchObject({
      stopReason: 'parent gone',
      current: { hash: tokenHash(token), revoked: true }
    })
    // The job is over: no post step will revoke the token, so the refresher did.
    expect(fake.tokens.get(token)!.revoked).toBe(true)
  })
})
