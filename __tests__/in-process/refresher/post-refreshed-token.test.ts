import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cleanup } from '../../../src/action/post/cleanup.js'
import { tokenHash } from '../../../src/lib/installation/token-hash.js'
import { tokenFileIdentity } from '../../../src/lib/refresher-control/token-file-identity.js'
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { mint } from '../../fake-github/test-client.js'
import { testContext } from '../../harness/test-context.js'

/**
 * The post step after refreshes, in process against the fake: which token it revokes and which
 * file it deletes, from the status the refresher left (written here as the refresher writes it).
 */

let fake: FakeGitHub
beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({ account: 'octo-org', repositories: ['app'], permissions: {} })
})
afterEach(async () => fake.close())

/** A pid that is no process now: the refresher has exited. */
const deadPid = () => spawnSync('true').pid

/** Main wrote `first`; the refresher renamed `second` over it and says so in its status. */
async function refreshedJob(status: { revoked?: boolean } = {}) {
  const first = await mint(fake, 1000)
  const second = await mint(fake, 1000)
  const dir = mkdtempSync(join(tmpdir(), 'mint-token-'))
  const path = join(dir, 'token')
  writeFileSync(path, first, { mode: 0o600 })
  const main = tokenFileIdentity(path)
  // As the refresher does it: a new file renamed over the path.
  writeFileSync(`${path}.new`, second, { mode: 0o600 })
  renameSync(`${path}.new`, path)
  const current = tokenFileIdentity(path)
  const refresherDir = mkdtempSync(join(tmpdir(), 'mint-token-refresh-'))
  const statusFile = join(refresherDir, 'status.json')
  const expiresAt = fake.tokens.get(second)!.expiresAt.toISOString()
  const hashes = [tokenHash(first), tokenHash(second)]
  writeFileSync(
    statusFile,
    JSON.stringify({
      state: 'stopped',
      stopReason: status.revoked ? 'token file gone' : 'SIGTERM',
      refreshes: 1,
      expiresAt,
      tokenHashes: hashes,
      current: { hash: hashes[1], ...current, ...status }
    })
  )
  const handoff = {
    file: { path, createdDirs: [dir], ...main },
    refresher: { pid: deadPid(), nonce: 'a'.repeat(32), dir: refresherDir, statusFile }
  }
  const revocation = { apiUrl: fake.url, expiresAt, revoke: true, summary: true }
  const state = {
    token: first,
    revocation: JSON.stringify(revocation),
    handoff: JSON.stringify(handoff)
  }
  fake.requests.length = 0
  return { first, second, path, dir, state, expiresAt, hashes }
}

async function post(state: Record<string, string>) {
  const recorded = testContext({ state, run: { apiUrl: fake.url } })
  await cleanup(recorded.ctx)
  const lines = (kind: string) => recorded.events.filter((e) => e.kind === kind).map((e) => e.value)
  return { events: recorded.events, lines }
}

const revoked = (token: string) => fake.tokens.get(token)!.revoked
const deletes = () => fake.requests.filter((r) => r.method === 'DELETE').length

describe('post: after refreshes', () => {
  test('the refreshed token, read from the file the refresher wrote last, masked, revoked; that file deleted', async () => {
    const { first, second, path, dir, state, hashes } = await refreshedJob()
    const { events, lines } = await post(state)
    expect(revoked(second)).toBe(true)
    expect(revoked(first)).toBe(false)
    expect(deletes()).toBe(1)
    const masked = events.findIndex((e) => e.kind === 'mask' && e.value === second)
    expect(masked).toBeGreaterThanOrEqual(0)
    expect(lines('info')).toEqual([
      'The token refresher had already stopped.',
      'The token was refreshed 1 time(s).',
      `The tokens' hashes for the audit log (hashed_token), oldest first: ${hashes.join(', ')}.`,
      'Revoked the installation token.',
      `Deleted the token file ${path}.`
    ])
    expect(existsSync(dir)).toBe(false)
  })

  test('the refresher revoked it itself (the file was gone): nothing sent, no fallback to the first token', async () => {
    const { first, path, dir, state } = await refreshedJob({ revoked: true })
    rmSync(path)
    const { lines } = await post(state)
    expect(fake.requests).toEqual([])
    expect(revoked(first)).toBe(false)
    expect(lines('warning')).toEqual([])
    expect(lines('info')).toContain(
      'The token refresher revoked the current token when the token file went away, so nothing is left to revoke.'
    )
    expect(lines('info')).toContain(`The token file ${path} was gone already.`)
    expect(existsSync(dir)).toBe(false)
  })

  test('another file put at the path: not read, not deleted, nothing sent; a warning names the live token by its hash', async () => {
    const { first, path, state, expiresAt, hashes } = await refreshedJob()
    writeFileSync(`${path}.planted`, first)
    renameSync(`${path}.planted`, path)
    const { events, lines } = await post(state)
    expect(fake.requests).toEqual([])
    expect(lines('warning')).toEqual([
      `Could not read the current token from the token file (the file the refresher wrote last was deleted or replaced), so it is not revoked; it expires on its own at ${expiresAt}. Its hash for the audit log: ${hashes[1]}.`
    ])
    expect(lines('info')).toContain(
      `Left ${path} alone: it is not the file the main step or the token refresher wrote.`
    )
    expect(readFileSync(path, 'utf8')).toBe(first)
    expect(events.filter((e) => e.kind === 'summary').map((e) => e.value)).toContain(
      `### mint-token: cleanup\n| Installation token | not revoked (out of reach), expires at ${expiresAt} |`
    )
  })

  test('the file rewritten in place with another token: that token is never sent', async () => {
    const { path, state } = await refreshedJob()
    writeFileSync(path, 'ghs_someone-elses-token')
    const { lines } = await post(state)
    expect(fake.requests).toEqual([])
    expect(lines('warning')).toEqual([
      expect.stringContaining(
        'Could not read the current token from the token file (it holds another token than the refresher reported)'
      ) as unknown
    ])
  })

  test('a FIFO put at the path does not hang the post step', async () => {
    const { path, state } = await refreshedJob()
    rmSync(path)
    expect(spawnSync('mkfifo', [path]).status).toBe(0)
    const { lines } = await post(state)
    expect(fake.requests).toEqual([])
    expect(lines('warning')).toHaveLength(1)
    expect(lines('info')).toContain(
      `Left ${path} alone: it is not the file the main step or the token refresher wrote.`
    )
  })
})
