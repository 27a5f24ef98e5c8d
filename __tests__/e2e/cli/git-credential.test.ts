import { lstatSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FakeGitHub } from '../../fake-github/server.js'
import { emptyHome, gitStepEnv, runGit, type GitResult } from '../../harness/git-client.js'
import {
  startGitHttpServer,
  validOnFake,
  type GitHttpServer
} from '../../harness/git-http-server.js'
import { assertCliNoLeaks, CLI, NODE, runCli, useCliFixture } from '../../harness/run-cli.js'

/**
 * `mint-token git-credential` as git runs it: the real git against the project's smart-HTTP
 * server, which accepts only a token the fake GitHub holds valid. One mint serves several git
 * operations until 10 minutes before expiry (on GitHub's clock); another host gets no answer.
 */
let fake: FakeGitHub
let cwd: string
let keyFile: string
useCliFixture(
  {
    account: 'octo-org',
    repositorySelection: 'all',
    repositories: ['app', 'docs'],
    permissions: { contents: 'write' }
  },
  (fixture) => ({ fake, cwd, keyFile } = fixture)
)
let server: GitHttpServer
let home: string
let cacheHome: string
beforeEach(async () => {
  server = await startGitHttpServer({ isValid: validOnFake(fake) })
  home = emptyHome()
  cacheHome = mkdtempSync(join(tmpdir(), 'mint-token-cache-'))
})
afterEach(async () => server.close())

const mints = () => fake.requests.filter((r) => r.path.endsWith('/access_tokens'))
/** git's environment: an empty HOME, a global config with the helper, the fake as the API. */
function gitEnv(extraConfig = ''): Record<string, string> {
  const config = join(home, 'gitconfig')
  const helper = `!'${NODE}' '${CLI}' git-credential --app-id ${fake.app.id} --private-key-file '${keyFile}' --owner octo-org`
  writeFileSync(config, `[credential "${server.url}"]\n\thelper = ${helper}\n${extraConfig}`)
  return gitStepEnv(home, {
    GIT_CONFIG_GLOBAL: config,
    GIT_CONFIG_NOSYSTEM: '1',
    GITHUB_API_URL: fake.url,
    GITHUB_SERVER_URL: server.url,
    XDG_CACHE_HOME: cacheHome
  })
}
const clone = (env: Record<string, string>, into: string) =>
  runGit(['clone', '-q', server.repoUrl, join(cwd, into)], { env })
const cached = () => readdirSync(join(cacheHome, 'mint-token'))
function expectNoTokenIn(...results: GitResult[]) {
  for (const token of fake.tokens.keys())
    for (const result of results) expect(result.stdout + result.stderr).not.toContain(token)
}

describe('cli git-credential with the real git', () => {
  test('clone, then fetch: one mint, cached in a 0600 file in a 0700 directory', async () => {
    const env = gitEnv()
    const first = await clone(env, 'one')
    expect(first).toMatchObject({ code: 0 })
    const second = await runGit(['-C', join(cwd, 'one'), 'fetch', '-q'], { env })
    expect(second.code).toBe(0)
    expect(mints()).toHaveLength(1)
    // Every repository of --owner: the mint's body narrows nothing.
    expect(mints()[0]!.body).toBeUndefined()
    const [file] = cached()
    expect(lstatSync(join(cacheHome, 'mint-token')).mode & 0o777).toBe(0o700)
    expect(lstatSync(join(cacheHome, 'mint-token', file!)).mode & 0o777).toBe(0o600)
    expect(file).toMatch(/^git-credential-[0-9a-f]{40}\.json$/)
    expectNoTokenIn(first, second)
    assertCliNoLeaks(fake, [], { dirs: [cwd] })
  })

  test('a token within 10 minutes of expiry is minted again', async () => {
    fake.tokenLifetimeMs = 9 * 60_000
    const env = gitEnv()
    expect((await clone(env, 'one')).code).toBe(0)
    expect((await clone(env, 'two')).code).toBe(0)
    expect(mints()).toHaveLength(2)
  })

  test("expiry is judged on GitHub's clock: GitHub 55 minutes behind, the token is still reused", async () => {
    fake.clockSkewMs = -55 * 60_000
    const env = gitEnv()
    expect((await clone(env, 'one')).code).toBe(0)
    expect((await clone(env, 'two')).code).toBe(0)
    expect(mints()).toHaveLength(1)
  })

  test('useHttpPath: a token for that one repository', async () => {
    const env = gitEnv(`[credential]\n\tuseHttpPath = true\n`)
    expect((await clone(env, 'one')).code).toBe(0)
    const [token] = [...fake.tokens.values()]
    expect(mints()[0]!.body).toEqual({ repositories: ['app'] })
    expect(token!.repositories).toEqual(['app'])
  })

  test('erase (git rejecting the credential) drops the cached token', async () => {
    const env = gitEnv()
    expect((await clone(env, 'one')).code).toBe(0)
    expect(cached()).toHaveLength(1)
    const token = [...fake.tokens.keys()][0]!
    const url = new URL(server.url)
    const reject = await runGit(['credential', 'reject'], {
      env,
      input: `protocol=http\nhost=${url.host}\nusername=x-access-token\npassword=${token}\n\n`
    })
    expect(reject.code).toBe(0)
    expect(cached()).toEqual([])
  })
})

describe('cli git-credential as a helper, directly', () => {
  const helper = (operation: string, input: string) =>
    runCli(
      [
        'git-credential',
        '--app-id',
        String(fake.app.id),
        '--private-key-file',
        keyFile,
        '--owner',
        'octo-org',
        operation
      ],
      {
        cwd,
        fake,
        stdin: input,
        env: {
          PATH: process.env.PATH!,
          HOME: home,
          GITHUB_API_URL: fake.url,
          GITHUB_SERVER_URL: server.url,
          XDG_CACHE_HOME: cacheHome
        }
      }
    )
  const host = () => new URL(server.url).host

  test('get: username, password and its expiry, and nothing else on stdout', async () => {
    const run = await helper('get', `protocol=http\nhost=${host()}\n\n`)
    const token = [...fake.tokens.keys()][0]!
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(
      new RegExp(`^username=x-access-token\\npassword=${token}\\npassword_expiry_utc=\\d{10}\\n$`)
    )
  })

  test.each([
    ['another host', () => 'protocol=https\nhost=example.com\n\n'],
    ['another protocol', () => `protocol=https\nhost=${host()}\n\n`],
    ['a repository of another owner', () => `protocol=http\nhost=${host()}\npath=evil/app.git\n\n`]
  ])('%s: no answer, exit 0, nothing minted', async (_name, input) => {
    const run = await helper('get', input())
    expect(run).toMatchObject({ exitCode: 0, stdout: '' })
    expect(fake.requests).toEqual([])
  })

  test('store is ignored', async () => {
    const run = await helper('store', `protocol=http\nhost=${host()}\nusername=x\npassword=y\n\n`)
    expect(run).toMatchObject({ exitCode: 0, stdout: '', stderr: '' })
    expect(fake.requests).toEqual([])
  })

  test('--private-key-stdin is refused (git owns stdin), exit 2', async () => {
    const run = await runCli(['git-credential', '--private-key-stdin', 'get'], { cwd, fake })
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain('--private-key-stdin does not work here')
  })
})
