import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js'
import { call, mint } from '../fake-github/test-client.js'
import { emptyHome, gitStepEnv, runGit } from './git-client.js'
import { startGitHttpServer, validOnFake, type GitHttpServer } from './git-http-server.js'

/** The harness's git smart-HTTP server: real `git http-backend`, only currently valid tokens. */
let fake: FakeGitHub
let server: GitHttpServer
let installationId: number
let home: string
beforeEach(async () => {
  home = emptyHome()
  fake = await startFakeGitHub()
  installationId = fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { contents: 'write' }
  }).id
  server = await startGitHttpServer({ isValid: validOnFake(fake) })
})
afterEach(async () => {
  await server.close()
  await fake.close()
  rmSync(home, { recursive: true, force: true })
})

/** The repository URL with the credentials in it, so no helper is involved. */
const withCredentials = (user: string, token: string): string =>
  server.repoUrl.replace('http://', `http://${user}:${encodeURIComponent(token)}@`)

const lsRemote = (url: string) => runGit(['ls-remote', url], { env: gitStepEnv(home) })

describe('git http server', () => {
  test('asks for Basic credentials when there are none', async () => {
    const response = await fetch(`${server.repoUrl}/info/refs?service=git-upload-pack`)
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="GitHub"')
    expect(server.requests).toEqual([
      {
        method: 'GET',
        url: '/octo-org/app.git/info/refs?service=git-upload-pack',
        userAgent: 'node',
        status: 401
      }
    ])
  })

  test('serves the repository to x-access-token with a valid token, and takes a push', async () => {
    const token = await mint(fake, installationId)
    const listed = await lsRemote(withCredentials('x-access-token', token))
    expect(listed).toMatchObject({ code: 0 })
    expect(listed.stdout).toBe(
      `${server.revParse('refs/heads/main')}\tHEAD\n${server.revParse('refs/heads/main')}\trefs/heads/main\n`
    )
    const work = join(home, 'work')
    const env = gitStepEnv(home)
    expect(
      await runGit(['clone', '-q', withCredentials('x-access-token', token), work], { env })
    ).toMatchObject({ code: 0 })
    expect(readFileSync(join(work, 'README.md'), 'utf8')).toBe('Hello from octo-org/app\n')
    const identity = {
      GIT_AUTHOR_NAME: 'a',
      GIT_AUTHOR_EMAIL: 'a@b',
      GIT_COMMITTER_NAME: 'a',
      GIT_COMMITTER_EMAIL: 'a@b'
    }
    await runGit(['commit', '-q', '--allow-empty', '-m', 'pushed'], {
      env: { ...env, ...identity },
      cwd: work
    })
    expect(await runGit(['push', '-q', 'origin', 'main'], { env, cwd: work })).toMatchObject({
      code: 0
    })
    expect(server.revParse('refs/heads/main')).toBe(
      (await runGit(['rev-parse', 'HEAD'], { env, cwd: work })).stdout.trim()
    )
  })

  test.each([
    ['another user name', 'someone', async () => mint(fake, installationId)],
    [
      'a token the fake never issued',
      'x-access-token',
      () => Promise.resolve('ghs_' + 'x'.repeat(36))
    ],
    [
      'a revoked token',
      'x-access-token',
      async () => {
        const token = await mint(fake, installationId)
        await call(fake, 'DELETE', '/installation/token', { auth: token })
        return token
      }
    ],
    [
      'an expired token',
      'x-access-token',
      async () => {
        const token = await mint(fake, installationId)
        fake.clockSkewMs = 61 * 60 * 1000
        return token
      }
    ]
  ])('refuses %s', async (_, user, token) => {
    const refused = await token()
    const listed = await lsRemote(withCredentials(user, refused))
    expect(listed.code).toBe(128)
    expect(listed.stderr).toContain('Authentication failed')
    // curl sends the credentials once the server asked for them.
    expect(server.requests.map((r) => [r.user, r.token, r.status])).toEqual([
      [undefined, undefined, 401],
      [user, refused, 401]
    ])
  })
})
