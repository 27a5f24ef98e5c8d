import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RefreshStatus } from '../../src/lib/refresher-control/refresh-status.js'
import type { RefresherConfig } from '../../src/lib/refresher-control/refresher-config.js'
import { runRefresher } from '../../src/refresher/run.js'
import type { Clock } from '../../src/lib/refresher-control/clock.js'
import { fakeClock, type FakeClock } from './fake-clock.js'
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js'
import { call, handMadeJwt } from '../fake-github/test-client.js'

/**
 * The refresher's own code, from its configuration to its exit (runRefresher, what dist/refresh
 * runs), in this process: on a fake clock shared with the fake GitHub, so that a 75-second
 * token ages in milliseconds, against the fake over HTTP. Only the process itself (its start,
 * signals, argv and environment) is left to the end-to-end tests.
 */

/** The fake GitHub on a fake clock that starts now (the App's JWTs are signed on the real one). */
export async function fakeGitHubOnFakeClock(): Promise<{ fake: FakeGitHub; clock: FakeClock }> {
  // On a whole second, as GitHub's `expires_at` is: the schedule then falls on round times.
  const clock = fakeClock(Math.ceil(Date.now() / 1000) * 1000)
  const fake = await startFakeGitHub({ now: clock.now })
  return { fake, clock }
}

/** What the main step does before it starts the refresher: mint, and write the token file. */
export async function mintIntoFile(
  fake: FakeGitHub,
  clock: Pick<Clock, 'now'>,
  scope: { repositories?: string[]; permissions?: Record<string, string> },
  installationId = 1000
): Promise<{ token: string; file: string; config: RefresherConfig }> {
  const mintedAt = new Date(clock.now() + fake.clockSkewMs).toISOString()
  const answer = await call(fake, 'POST', `/app/installations/${installationId}/access_tokens`, {
    // Signed on GitHub's clock, as the main step's JWT is once it learned the offset.
    auth: handMadeJwt(fake.app.privateKey, {
      iss: fake.app.id,
      iat: Math.floor((clock.now() + fake.clockSkewMs) / 1000) - 30,
      exp: Math.floor((clock.now() + fake.clockSkewMs) / 1000) + 540
    }),
    body: scope
  })
  const { token, expires_at } = answer.body as { token: string; expires_at: string }
  const file = join(mkdtempSync(join(tmpdir(), 'mint-token-file-')), 'token')
  writeFileSync(file, token, { mode: 0o600 })
  const config: RefresherConfig = {
    apiUrl: fake.url,
    appId: String(fake.app.id),
    privateKey: fake.app.privateKey,
    installationId,
    ...scope,
    tokenFile: file,
    expiresAt: expires_at,
    mintedAt,
    // What the main step learned from this reply's Date header.
    clockOffsetMs: fake.clockSkewMs,
    statusFile: join(mkdtempSync(join(tmpdir(), 'mint-token-refresh-')), 'status.json'),
    deadline: new Date(clock.now() + 6 * 3_600_000).toISOString()
  }
  fake.requests.length = 0
  return { token, file, config }
}

export interface InProcessRefresher {
  /** The status file as the refresher last wrote it. */
  status(): RefreshStatus
  /** The post step's SIGTERM. */
  terminate(): void
  /** Resolves with the exit code the process would have. */
  exit: Promise<number>
  /**
   * Moves the clock on, one timer at a time and only while the refresher's loop sleeps (never
   * while a request is under way, nor once it is stopping), until `check` holds.
   */
  runUntil(what: string, check: () => boolean): Promise<void>
}

/** A condition polled in real time, with a generous timeout: the requests are real. */
export async function until(what: string, check: () => boolean, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 2))
  }
}

export function startInProcess(config: RefresherConfig, clock: FakeClock): InProcessRefresher {
  const terminate = new AbortController()
  const exit = runRefresher({
    clock,
    terminate: terminate.signal,
    readConfig: () => Promise.resolve(JSON.stringify(config))
  })
  let exited = false
  void exit.finally(() => (exited = true))
  const status = () => JSON.parse(readFileSync(config.statusFile, 'utf8')) as RefreshStatus
  const running = () => {
    if (exited) return false
    try {
      return status().state === 'running'
    } catch {
      return true // Not written yet: it is reading its configuration.
    }
  }
  const limit = clock.now() + 24 * 3_600_000
  return {
    status,
    terminate: () => terminate.abort(),
    exit,
    async runUntil(what, check) {
      await until('the status file', () => exited || existsSync(config.statusFile))
      while (!check()) {
        if (!running()) return until(what, check)
        await until(
          `the refresher to sleep (${what})`,
          () => check() || clock.sleepers() > 0 || !running()
        )
        if (!running() || check()) continue
        if ((clock.nextAt() ?? Infinity) > limit) throw new Error(`nothing left to do: ${what}`)
        clock.fireNext()
        await new Promise((r) => setImmediate(r))
      }
    }
  }
}
