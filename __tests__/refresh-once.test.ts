import { createPrivateKey } from 'node:crypto'
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createQuietCore } from '../src/refresh/create-quiet-core.js'
import type { RefreshDeps, RefreshLoopState } from '../src/refresh/refresh-loop-state.js'
import { refreshOnce } from '../src/refresh/refresh-once.js'
import { createRefreshTime } from '../src/refresh/refresh-time.js'
import type { RefresherConfig } from '../src/refresh/refresher-config.js'
import { createRefresherRequests } from '../src/refresh/refresher-requests.js'
import { createStatusRecorder } from '../src/refresh/status-recorder.js'
import { tokenFileIdentity } from '../src/refresh/token-file-identity.js'
import { startFakeGitHub, type FakeGitHub } from './fake-github/server.js'
import { mint } from './fake-github/test-client.js'

/** One refresh, in process, against the fake over HTTP: success, failure, and a stop mid-mint. */

let fake: FakeGitHub
beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app', 'docs'],
    permissions: { contents: 'write' }
  })
})
afterEach(async () => fake.close())

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
    mintedAt: new Date().toISOString(),
    clockOffsetMs: 0,
    statusFile: join(dir, 'status.json'),
    deadline: new Date(Date.now() + HOUR).toISOString()
  }
  writeFileSync(config.tokenFile, first, { mode: 0o600 })
  const core = createQuietCore()
  const time = createRefreshTime(config.clockOffsetMs)
  const privateKey = createPrivateKey(config.privateKey)
  const deps: RefreshDeps = {
    config,
    requests: createRefresherRequests(config, privateKey, core, time.server),
    time,
    core,
    status: createStatusRecorder(config.statusFile, core),
    identity: tokenFileIdentity(config.tokenFile),
    signal
  }
  const expiresAt = Date.parse(config.expiresAt)
  const loop: RefreshLoopState = {
    current: { token: first, mintedAt: Date.now(), expiresAt },
    pending: [],
    failures: 0,
    nextAttemptAt: Date.now()
  }
  fake.requests.length = 0
  return { first, config, deps, loop }
}

describe('refresh: one refresh', () => {
  test('the new token in the file, the old one due for revocation within 30 s', async () => {
    const { first, config, deps, loop } = await setUp()
    const before = Date.now()
    await refreshOnce(deps, loop)
    const fresh = readFileSync(config.tokenFile, 'utf8')
    expect(fresh).not.toBe(first)
    expect(fake.tokens.get(fresh)).toMatchObject({ repositories: ['docs'], revoked: false })
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body)}`)).toEqual([
      'POST /app/installations/1000/access_tokens {"repositories":["docs"]}'
    ])
    expect(loop.current.token).toBe(fresh)
    expect(loop.pending).toEqual([{ token: first, revokeAt: expect.any(Number) as unknown }])
    expect(loop.pending[0]!.revokeAt - before).toBeLessThanOrEqual(30_000 + 1_000)
    // An hour-long token: refreshed again 50 minutes on.
    expect(loop.nextAttemptAt).toBe(loop.current.expiresAt - 10 * 60_000)
    expect(deps.status.status).toMatchObject({ refreshes: 1, failures: 0 })
    expect(deps.core.lines.at(-1)).toMatch(/info: Refreshed the token; the new one expires at /)
  })

  test('a failed mint: the old token stays in the file, a retry in 5 s', async () => {
    const { first, config, deps, loop } = await setUp()
    fake.inject({ method: 'POST', path: /access_tokens$/, fault: { status: 503 } })
    const before = Date.now()
    await refreshOnce(deps, loop)
    expect(readFileSync(config.tokenFile, 'utf8')).toBe(first)
    expect(loop.current.token).toBe(first)
    expect(fake.requests).toHaveLength(1)
    expect(loop.failures).toBe(1)
    expect(loop.nextAttemptAt - before).toBeGreaterThanOrEqual(5_000)
    expect(loop.nextAttemptAt - Date.now()).toBeLessThanOrEqual(5_000)
    expect(deps.status.status).toMatchObject({
      refreshes: 0,
      failures: 1,
      lastError: 'HTTP 503: Internal Server Error - https://docs.github.com/rest'
    })
  })

  test('a token file replaced by another file: not written, the fresh token revoked at once', async () => {
    const { config, deps, loop } = await setUp()
    const other = `${config.tokenFile}.other`
    writeFileSync(other, 'someone else')
    renameSync(other, config.tokenFile)
    await refreshOnce(deps, loop)
    expect(readFileSync(config.tokenFile, 'utf8')).toBe('someone else')
    const fresh = [...fake.tokens.keys()].at(-1)!
    expect(loop.pending).toEqual([{ token: fresh, revokeAt: 0 }])
    expect(deps.status.status.lastError).toBe(
      'the token file was replaced by another file; it is left as it is'
    )
  })

  test('a stop while the mint is under way ends the turn at once', async () => {
    const controller = new AbortController()
    const { first, config, deps, loop } = await setUp(controller.signal)
    fake.inject({ method: 'POST', path: /access_tokens$/, fault: { latencyMs: 1_500 } })
    setTimeout(() => controller.abort('SIGTERM'), 100)
    const before = Date.now()
    await refreshOnce(deps, loop)
    expect(Date.now() - before).toBeLessThan(1_000)
    expect(loop.inFlight).toBeDefined()
    expect(readFileSync(config.tokenFile, 'utf8')).toBe(first)
    // The late token never reaches the file; the shutdown revokes it.
    const late = await loop.inFlight!
    expect(readFileSync(config.tokenFile, 'utf8')).toBe(first)
    expect(fake.tokens.has(late.token)).toBe(true)
  })
})
