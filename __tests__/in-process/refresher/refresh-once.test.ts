import { createPrivateKey } from 'node:crypto'
import { lstatSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tokenHash } from '../../../src/lib/installation/token-hash.js'
import { createQuietLog } from '../../../src/refresher/status.js'
import type { RefreshDeps, RefreshLoopState } from '../../../src/refresher/turn.js'
import { refreshOnce } from '../../../src/refresher/turn.js'
import { createRefreshTime } from '../../../src/refresher/time.js'
import type { RefresherConfig } from '../../../src/lib/refresher-control/refresher-config.js'
import { createRefresherRequests } from '../../../src/refresher/requests.js'
import { createStatusRecorder } from '../../../src/refresher/status.js'
import { guardTokenFile, type TokenFileGuard } from '../../../src/refresher/token-file.js'
import { tokenFileIdentity } from '../../../src/lib/refresher-control/token-file-identity.js'
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { fakeClock, type FakeClock } from '../../harness/fake-clock.js'
import { mint } from '../../fake-github/test-client.js'

/** One refresh, in process, against the fake over HTTP: success, failure, and a stop mid-mint. */

let fake: FakeGitHub
let clock: FakeClock
beforeEach(async () => {
  // GitHub's time and the refresher's are one fake clock, on a whole second as expires_at is.
  clock = fakeClock(Math.ceil(Date.now() / 1000) * 1000)
  fake = await startFakeGitHub({ now: clock.now })
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app', 'docs'],
    permissions: { contents: 'write' }
  })
})
let guard: TokenFileGuard | undefined
afterEach(async () => {
  guard?.dispose()
  await fake.close()
})

const HOUR = 3_600_000

async function setUp(signal = new AbortController().signal) {
  const first = await mint(fake, 1000, { repositories: ['docs'] })
  const dir = mkdtempSync(join(tmpdir(), 'mint-token-refresh-once-'))
  const config: RefresherConfig = {
    apiUrl: fake.url,
    appId: fake.app.clientId,
    privateKey: fake.app.privateKey,
    installationId: 1000,
    repositories: ['docs'],
    tokenFile: join(dir, 'token'),
    expiresAt: fake.tokens.get(first)!.expiresAt.toISOString(),
    mintedAt: new Date(clock.now()).toISOString(),
    clockOffsetMs: 0,
    statusFile: join(dir, 'status.json'),
    deadline: new Date(clock.now() + HOUR).toISOString()
  }
  writeFileSync(config.tokenFile, first, { mode: 0o600 })
  const core = createQuietLog(clock.now)
  const time = createRefreshTime(config.clockOffsetMs, clock)
  const privateKey = createPrivateKey(config.privateKey!)
  // Looked at only when refreshOnce asks: the fake clock never reaches its poll.
  guard = guardTokenFile(config.tokenFile, tokenFileIdentity(config.tokenFile), clock)
  const deps: RefreshDeps = {
    config,
    requests: createRefresherRequests(config, privateKey, core, {
      server: time.server,
      now: clock.now
    }),
    time,
    log: core,
    status: createStatusRecorder(config.statusFile, core, clock.now, {
      tokenHashes: [tokenHash(first)]
    }),
    tokenFile: guard,
    signal: AbortSignal.any([signal, guard.signal])
  }
  const expiresAt = Date.parse(config.expiresAt)
  const loop: RefreshLoopState = {
    current: { token: first, mintedAt: clock.now(), expiresAt },
    pending: [],
    failures: 0,
    nextAttemptAt: clock.now()
  }
  fake.requests.length = 0
  return { first, config, deps, loop }
}

describe('refresh: one refresh', () => {
  test('the new token in the file, the old one due for revocation within 30 s', async () => {
    const { first, config, deps, loop } = await setUp()
    await refreshOnce(deps, loop)
    const fresh = readFileSync(config.tokenFile, 'utf8')
    expect(fresh).not.toBe(first)
    expect(fake.tokens.get(fresh)).toMatchObject({ repositories: ['docs'], revoked: false })
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body)}`)).toEqual([
      'POST /app/installations/1000/access_tokens {"repositories":["docs"]}'
    ])
    expect(loop.current.token).toBe(fresh)
    // After its 30 s grace (the clock did not move while the mint was answered).
    expect(loop.pending).toEqual([{ token: first, revokeAt: clock.now() + 30_000 }])
    // An hour-long token: refreshed again 50 minutes on.
    expect(loop.nextAttemptAt).toBe(loop.current.expiresAt - 10 * 60_000)
    expect(deps.status.status).toMatchObject({ refreshes: 1, failures: 0 })
    expect(deps.log.lines.at(-1)).toMatch(/info: Refreshed the token; the new one expires at /)
    // The status names each token by its hash, and the new file that holds the current one.
    const { dev, ino } = lstatSync(config.tokenFile)
    expect(deps.status.status).toMatchObject({
      tokenHashes: [tokenHash(first), tokenHash(fresh)],
      current: { hash: tokenHash(fresh), dev, ino }
    })
    expect(readFileSync(config.statusFile, 'utf8')).not.toContain(fresh)
  })

  test('a failed mint: the old token stays in the file, a retry in 5 s', async () => {
    const { first, config, deps, loop } = await setUp()
    fake.inject({ method: 'POST', path: /access_tokens$/, fault: { status: 503 } })
    await refreshOnce(deps, loop)
    expect(readFileSync(config.tokenFile, 'utf8')).toBe(first)
    expect(loop.current.token).toBe(first)
    expect(fake.requests).toHaveLength(1)
    expect(loop.failures).toBe(1)
    expect(loop.nextAttemptAt).toBe(clock.now() + 5_000)
    expect(deps.status.status).toMatchObject({
      refreshes: 0,
      failures: 1,
      lastError: 'HTTP 503: Internal Server Error - https://docs.github.com/rest'
    })
  })

  test('a token file deleted: no mint, the loop stops to revoke the current token', async () => {
    const { first, config, deps, loop } = await setUp()
    rmSync(config.tokenFile)
    await refreshOnce(deps, loop)
    expect(fake.requests).toEqual([])
    expect(deps.signal.aborted).toBe(true)
    expect(deps.signal.reason).toBe('token file gone')
    expect(loop.current.token).toBe(first)
    expect(loop.pending).toEqual([])
  })

  test('a token file replaced by another file while minting: not written, the fresh token revoked at once, the loop stops', async () => {
    const { first, config, deps, loop } = await setUp()
    // Replaced after the look before the mint: while the mint is at GitHub.
    const other = `${config.tokenFile}.other`
    writeFileSync(other, 'someone else')
    fake.onRequest({ method: 'POST', run: () => renameSync(other, config.tokenFile) })
    await refreshOnce(deps, loop)
    expect(readFileSync(config.tokenFile, 'utf8')).toBe('someone else')
    const fresh = [...fake.tokens.keys()].at(-1)!
    expect(fresh).not.toBe(first)
    expect(loop.pending).toEqual([{ token: fresh, revokeAt: 0 }])
    expect(loop.current.token).toBe(first)
    expect(deps.status.status.lastError).toBe(
      'the token file was deleted or replaced by another file; it is left as it is'
    )
    expect(deps.signal.reason).toBe('token file gone')
  })

  test('a stop while the mint is under way ends the turn at once', async () => {
    const controller = new AbortController()
    const { first, config, deps, loop } = await setUp(controller.signal)
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    fake.inject({ method: 'POST', path: /access_tokens$/, fault: { holdReplyUntil: held } })
    // The stop comes once the mint reached GitHub; its reply is held.
    const stopped = new Promise<void>((resolve) =>
      fake.onRequest({
        method: 'POST',
        run: () => {
          controller.abort('SIGTERM')
          resolve()
        }
      })
    )
    const turn = refreshOnce(deps, loop)
    await stopped
    await turn
    // The turn ended with the reply still held: the mint is left to the shutdown.
    expect(loop.inFlight).toBeDefined()
    expect(readFileSync(config.tokenFile, 'utf8')).toBe(first)
    release()
    // The late token never reaches the file; the shutdown revokes it.
    const late = await loop.inFlight!
    expect(readFileSync(config.tokenFile, 'utf8')).toBe(first)
    expect(fake.tokens.has(late.token)).toBe(true)
  })
})
