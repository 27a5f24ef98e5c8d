import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gitCredentialEnv, type GitCredentialEnv } from '../../src/lib/git/git-credential-env.js'
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js'
import { call, mint } from '../fake-github/test-client.js'
import { emptyHome, gitStepEnv, runGit } from '../harness/git-client.js'
import { startGitHttpServer, validOnFake, type GitHttpServer } from '../harness/git-http-server.js'

/**
 * git-credentials with the real git binary: the variables the main step exports, applied to the
 * git commands of later steps, against a smart-HTTP server that accepts only a token the fake
 * GitHub considers valid right now.
 */
let fake: FakeGitHub
let server: GitHttpServer
let installationId: number
let dir: string
let tokenFile: string
let home: string
beforeEach(async () => {
  fake = await startFakeGitHub()
  installationId = fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { contents: 'write' }
  }).id
  server = await startGitHttpServer({ isValid: validOnFake(fake) })
  dir = mkdtempSync(join(tmpdir(), 'mint-token-git-job-'))
  tokenFile = join(dir, 'token')
  home = emptyHome()
})
afterEach(async () => {
  await server.close()
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
  rmSync(home, { recursive: true, force: true })
})

/** The main step's part: a minted token in the file, and the variables to export. */
async function configure(environment: Record<string, string> = {}): Promise<GitCredentialEnv> {
  writeFileSync(tokenFile, await mint(fake, installationId), { mode: 0o600 })
  return gitCredentialEnv({ origin: server.url, tokenFile, environment })
}

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Octo',
  GIT_AUTHOR_EMAIL: 'octo@example.com',
  GIT_COMMITTER_NAME: 'Octo',
  GIT_COMMITTER_EMAIL: 'octo@example.com'
}

/** The (user, token, status) of each request the server saw. */
const seen = (on: GitHttpServer = server) => on.requests.map((r) => [r.user, r.token, r.status])

describe('git credentials: clone and push in later steps', () => {
  test('authenticate as x-access-token with the token from the file; nothing else is written', async () => {
    const { exported } = await configure()
    const token = readFileSync(tokenFile, 'utf8')
    const env = gitStepEnv(home, exported)
    const work = join(dir, 'work')
    expect(await runGit(['clone', '-q', server.repoUrl, work], { env })).toMatchObject({ code: 0 })
    expect(readFileSync(join(work, 'README.md'), 'utf8')).toBe('Hello from octo-org/app\n')
    writeFileSync(join(work, 'CHANGES.md'), 'pushed by the App\n')
    await runGit(['add', 'CHANGES.md'], { env, cwd: work })
    await runGit(['commit', '-q', '-m', 'Push'], { env: { ...env, ...IDENTITY }, cwd: work })
    expect(await runGit(['push', '-q', 'origin', 'main'], { env, cwd: work })).toMatchObject({
      code: 0
    })
    const head = (await runGit(['rev-parse', 'HEAD'], { env, cwd: work })).stdout.trim()
    expect(server.revParse('refs/heads/main')).toBe(head)
    // Each command: one request without credentials (401), then with the helper's.
    expect(seen()).toContainEqual(['x-access-token', token, 200])
    expect(new Set(seen().map(([user, t]) => `${user}:${t}`))).toEqual(
      new Set(['undefined:undefined', `x-access-token:${token}`])
    )
    expect(Object.values(exported).join('\n')).not.toContain(token)
    expect(readdirSync(home)).toEqual([])
    const repoConfig = readFileSync(join(work, '.git/config'), 'utf8')
    expect(repoConfig).not.toContain(token)
    expect(repoConfig).not.toContain('credential')
  })

  test('a rewritten token file is used by the next fetch, after the old token is revoked', async () => {
    const { exported } = await configure()
    const env = gitStepEnv(home, exported)
    const work = join(dir, 'work')
    expect(await runGit(['clone', '-q', server.repoUrl, work], { env })).toMatchObject({ code: 0 })
    const old = readFileSync(tokenFile, 'utf8')
    const fresh = await mint(fake, installationId)
    writeFileSync(tokenFile, fresh)
    expect((await call(fake, 'DELETE', '/installation/token', { auth: old })).status).toBe(204)
    server.requests.length = 0
    expect(await runGit(['fetch', '-q', 'origin'], { env, cwd: work })).toMatchObject({ code: 0 })
    expect(seen()).toEqual([
      [undefined, undefined, 401],
      ['x-access-token', fresh, 200],
      ['x-access-token', fresh, 200]
    ])
  })

  test('a missing token file: git fails at once, without asking and without a credential', async () => {
    const { exported } = await configure()
    rmSync(tokenFile)
    const result = await runGit(['ls-remote', server.repoUrl], { env: gitStepEnv(home, exported) })
    expect(result.code).toBe(128)
    expect(result.stderr).toBe(
      `fatal: could not read Username for '${server.url}': terminal prompts disabled\n`
    )
    expect(seen()).toEqual([[undefined, undefined, 401]])
  })
})

describe('git credentials: undo, and what is left alone', () => {
  test('with the undo variables applied, git has no credentials any more', async () => {
    const { exported, undo } = await configure()
    const env = gitStepEnv(home, { ...exported, ...undo })
    const result = await runGit(['ls-remote', server.repoUrl], { env })
    expect(result.code).toBe(128)
    expect(result.stderr).toContain('terminal prompts disabled')
    expect(seen()).toEqual([[undefined, undefined, 401]])
  })

  test('a GIT_CONFIG_COUNT set by an earlier step is kept, and still applies after undo', async () => {
    const earlier = {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.userAgent',
      GIT_CONFIG_VALUE_0: 'earlier-step/1.0'
    }
    const { exported, undo } = await configure(earlier)
    const env = gitStepEnv(home, { ...earlier, ...exported })
    expect(await runGit(['ls-remote', server.repoUrl], { env })).toMatchObject({ code: 0 })
    const after = gitStepEnv(home, { ...earlier, ...exported, ...undo })
    expect(await runGit(['ls-remote', server.repoUrl], { env: after })).toMatchObject({
      code: 128
    })
    expect(new Set(server.requests.map((r) => r.userAgent))).toEqual(new Set(['earlier-step/1.0']))
    expect(undo.GIT_CONFIG_COUNT).toBe('1')
  })

  test('a helper configured before for all URLs, with a stale credential, cannot answer first', async () => {
    // ~/.gitconfig's `credential.helper = store` holding a revoked token for this very origin.
    const stale = await mint(fake, installationId)
    await call(fake, 'DELETE', '/installation/token', { auth: stale })
    const stored = `${server.url.replace('//', `//x-access-token:${stale}@`)}\n`
    writeFileSync(join(home, '.gitconfig'), '[credential]\n\thelper = store\n')
    writeFileSync(join(home, '.git-credentials'), stored)
    const { exported } = await configure()
    const token = readFileSync(tokenFile, 'utf8')
    const result = await runGit(['ls-remote', server.repoUrl], { env: gitStepEnv(home, exported) })
    expect(result).toMatchObject({ code: 0 })
    expect(seen()).toEqual([
      [undefined, undefined, 401],
      ['x-access-token', token, 200],
      ['x-access-token', token, 200]
    ])
    // Nor was the new token stored by the helper it replaced.
    expect(readFileSync(join(home, '.git-credentials'), 'utf8')).toBe(stored)
  })

  test('actions/checkout’s persisted credentials win: git sends its header, not our token', async () => {
    // persist-credentials (the default) writes http.<server>/.extraheader into the repository's
    // config; git then sends that Authorization header, and the helper's token is not used.
    const { exported } = await configure()
    const env = gitStepEnv(home, exported)
    const work = join(dir, 'work')
    expect(await runGit(['clone', '-q', server.repoUrl, work], { env })).toMatchObject({ code: 0 })
    const checkouts = await mint(fake, installationId)
    const basic = Buffer.from(`x-access-token:${checkouts}`).toString('base64')
    const key = `http.${server.url}/.extraheader`
    await runGit(['config', '--local', key, `AUTHORIZATION: basic ${basic}`], { env, cwd: work })
    server.requests.length = 0
    expect(await runGit(['fetch', '-q', 'origin'], { env, cwd: work })).toMatchObject({ code: 0 })
    expect(new Set(server.requests.map((r) => r.token))).toEqual(new Set([checkouts]))
  })

  test('another port of the same host is not given the token', async () => {
    const other = await startGitHttpServer({ isValid: validOnFake(fake) })
    try {
      const { exported } = await configure()
      const env = gitStepEnv(home, exported)
      const result = await runGit(['ls-remote', other.repoUrl], { env })
      expect(result.code).toBe(128)
      expect(result.stderr).toContain('terminal prompts disabled')
      expect(seen(other)).toEqual([[undefined, undefined, 401]])
      expect(await runGit(['ls-remote', server.repoUrl], { env })).toMatchObject({ code: 0 })
    } finally {
      await other.close()
    }
  })
})
