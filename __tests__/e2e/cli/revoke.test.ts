import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { FakeGitHub } from '../../fake-github/server.js'
import {
  assertCliNoLeaks,
  cliEnv,
  runCli,
  type CliRun,
  useCliFixture
} from '../../harness/run-cli.js'

/** `mint-token revoke` (dist/cli): one token, from a file, stdin or the environment, revoked now. */
let fake: FakeGitHub
let cwd: string
let keyFile: string
useCliFixture(
  {
    account: 'octo-org',
    repositories: ['app'],
    permissions: { contents: 'read' }
  },
  (fixture) => ({ fake, cwd, keyFile } = fixture)
)

/** A token in ./gh-token, as `mint-token token --token-file` leaves it. */
async function mintToFile(): Promise<string> {
  const run = await runCli(
    [
      'token',
      '--app-id',
      String(fake.app.id),
      '--private-key-file',
      keyFile,
      '--api-url',
      fake.url,
      '--owner',
      'octo-org',
      '--token-file',
      'gh-token'
    ],
    { fake, cwd }
  )
  expect(run.exitCode).toBe(0)
  fake.requests.length = 0
  return [...fake.tokens.keys()][0]!
}
const revoke = (args: string[], options: { env?: Record<string, string>; stdin?: string } = {}) =>
  runCli(['revoke', '--api-url', fake.url, ...args], { fake, cwd, ...options })
const checked = (run: CliRun, allowedFiles: string[] = []) => {
  assertCliNoLeaks(fake, [run], { dirs: [cwd], allowedFiles })
  return run
}

describe('cli revoke', () => {
  test('--token-file --remove-file: one request, revoked, the file deleted', async () => {
    const token = await mintToFile()
    const run = checked(await revoke(['--token-file', 'gh-token', '--remove-file']))
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual({ revoked: true })
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.auth}`)).toEqual([
      'DELETE /installation/token token'
    ])
    expect(fake.tokens.get(token)!.revoked).toBe(true)
    expect(existsSync(join(cwd, 'gh-token'))).toBe(false)
    expect(run.stderr).toBe('Revoked the installation token.\nDeleted gh-token.\n')
  })

  test('--token-stdin, then GH_TOKEN again: already revoked is exit 0 with a line on stderr', async () => {
    const token = await mintToFile()
    const file = join(cwd, 'gh-token')
    const first = checked(await revoke(['--token-stdin'], { stdin: `${token}\n` }), [file])
    expect(first.exitCode).toBe(0)
    const again = checked(await revoke([], { env: cliEnv({ GH_TOKEN: token }) }), [file])
    expect(again.exitCode).toBe(0)
    expect(JSON.parse(again.stdout)).toEqual({
      revoked: false,
      reason: 'already revoked or expired'
    })
    expect(again.stderr).toBe(
      'The token has already expired or been revoked (HTTP 401); nothing to revoke.\n'
    )
    expect(existsSync(file)).toBe(true)
  })

  test('GitHub refusing: exit 1 with the status', async () => {
    const token = await mintToFile()
    fake.inject({
      method: 'DELETE',
      path: '/installation/token',
      fault: { status: 403, message: 'Forbidden' }
    })
    const run = checked(await revoke([], { env: cliEnv({ GITHUB_TOKEN: token }) }), [
      join(cwd, 'gh-token')
    ])
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toMatch(/^error: Could not revoke the token \(HTTP 403: Forbidden/)
    expect(fake.tokens.get(token)!.revoked).toBe(false)
  })

  test('no token anywhere: exit 2, no request', async () => {
    const run = await revoke([])
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toBe(
      'error: No token to revoke. Pass --token-file PATH or --token-stdin, or set GH_TOKEN or GITHUB_TOKEN.\n'
    )
    expect(fake.requests).toEqual([])
  })
})
