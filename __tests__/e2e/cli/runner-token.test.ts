import { lstatSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FakeGitHub } from '../../fake-github/server.js'
import {
  assertCliNoLeaks,
  runCli,
  type CliRun,
  useCliFixture,
  appFlags
} from '../../harness/run-cli.js'

/** `mint-token runner-token` (dist/cli) against the fake API: a registration token for config.sh. */
let fake: FakeGitHub
let cwd: string
let keyFile: string
useCliFixture(
  {
    account: 'octo-org',
    repositorySelection: 'all',
    repositories: ['app', 'docs'],
    permissions: { organization_self_hosted_runners: 'write', administration: 'write' }
  },
  (fixture) => ({ fake, cwd, keyFile } = fixture)
)

const runnerToken = (args: string[]) =>
  runCli(['runner-token', ...appFlags({ fake, keyFile }), ...args], {
    fake,
    cwd,
    // As inside a workflow: the server's web URL beside its API URL (see serverUrlFor).
    env: { GITHUB_SERVER_URL: 'https://github.example', GITHUB_API_URL: fake.url }
  })
const calls = () => fake.requests.map((r) => `${r.method} ${r.path}`)
/** The registration token GitHub (the fake) answered with. */
const registrationToken = () => {
  const reply = fake.requests.find((r) => r.path.endsWith('/registration-token'))!.responseBody
  return (reply as { token: string }).token
}
const checked = (run: CliRun, stdoutMayHold: string[] = []) => {
  assertCliNoLeaks(fake, [run], { dirs: [cwd], stdoutMayHold })
  return run
}

describe('cli runner-token', () => {
  test('organization: masked JSON, the least-privileged intermediate token revoked', async () => {
    const run = checked(await runnerToken(['--owner', 'octo-org']))
    expect(run.exitCode).toBe(0)
    const token = registrationToken()
    expect(JSON.parse(run.stdout)).toEqual({
      token_masked: `${token.slice(0, 4)}…${token.slice(-4)}`,
      expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as unknown,
      url: 'https://github.example/octo-org',
      configuration_command:
        './config.sh --url https://github.example/octo-org --token *** --unattended'
    })
    expect(run.stdout + run.stderr).not.toContain(token)
    expect(calls()).toEqual([
      'GET /users/octo-org/installation',
      expect.stringMatching(/^POST \/app\/installations\/\d+\/access_tokens$/) as unknown,
      'POST /orgs/octo-org/actions/runners/registration-token',
      'DELETE /installation/token'
    ])
    expect(fake.requests[1]!.body).toEqual({
      permissions: { organization_self_hosted_runners: 'write' }
    })
    expect([...fake.tokens.values()].every((t) => t.revoked)).toBe(true)
  })

  test('--repository: administration:write for that one repository; json-with-token', async () => {
    const run = await runnerToken([
      '--owner',
      'octo-org',
      '--repository',
      'docs',
      '--output',
      'json-with-token'
    ])
    expect(run.exitCode).toBe(0)
    const token = registrationToken()
    checked(run, [token])
    const result = JSON.parse(run.stdout) as Record<string, string>
    expect(result.token).toBe(token)
    expect(result.configuration_command).toBe(
      `./config.sh --url https://github.example/octo-org/docs --token ${token} --unattended`
    )
    expect(fake.requests[1]!.body).toEqual({
      repositories: ['docs'],
      permissions: { administration: 'write' }
    })
    expect(calls()).toContain('POST /repos/octo-org/docs/actions/runners/registration-token')
  })

  test('--token-file: the token in a new 0600 file, not on stdout', async () => {
    const run = await runnerToken(['--owner', 'octo-org', '--token-file', 'runner-token'])
    expect(run.exitCode).toBe(0)
    const path = join(cwd, 'runner-token')
    expect(readFileSync(path, 'utf8')).toBe(registrationToken())
    expect(lstatSync(path).mode & 0o777).toBe(0o600)
    expect(JSON.parse(run.stdout)).toMatchObject({ token_file: path })
    assertCliNoLeaks(fake, [run], { dirs: [cwd], allowedFiles: [path] })
    expect(run.stdout + run.stderr).not.toContain(registrationToken())
  })

  test.each([
    [
      ['--owner', 'octo-org', '--repository', 'app,docs'],
      "--repository lists 2 repositories, but a runner registers with one repository or one organization. Name one repository, or none for the organization 'octo-org'."
    ],
    [
      ['--owner', 'enterprises/acme'],
      "--owner names an enterprise, but enterprise-level runners can't be managed with a GitHub App: GitHub's enterprise runner endpoints refuse App installation tokens. Register the runner with an organization ('--owner ORG') and share it through a runner group."
    ],
    [
      [],
      '--owner is empty; set it to the organization (or, with --repository, the repository owner) the runner registers with.'
    ]
  ])('refused before any request (exit 2): %j', async (args, message) => {
    const run = checked(await runnerToken(args))
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain(message)
    expect(run.stdout).toBe('')
    expect(fake.requests).toEqual([])
  })
})
