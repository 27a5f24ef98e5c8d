import { createHash } from 'node:crypto'
import { lstatSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FakeGitHub } from '../../fake-github/server.js'
import {
  assertCliNoLeaks,
  cliEnv,
  runCli,
  type CliRun,
  useCliFixture,
  appFlags
} from '../../harness/run-cli.js'

/** `mint-token token` (dist/cli) against the fake API: the result, each delivery, the key's sources. */
let fake: FakeGitHub
let cwd: string
let keyFile: string
let installationId: number
useCliFixture(
  {
    account: 'octo-org',
    repositorySelection: 'selected',
    repositories: ['app', 'docs'],
    permissions: { contents: 'write', issues: 'write', metadata: 'read' }
  },
  (fixture) => ({ fake, cwd, keyFile, installationId } = fixture)
)

const creds = () => appFlags({ fake, keyFile })
const calls = () => fake.requests.map((r) => `${r.method} ${r.path}`)
const token = (args: string[], env?: Record<string, string>) =>
  runCli(['token', ...creds(), ...args], { fake, cwd, env })
const issued = () => [...fake.tokens.keys()]
const checked = (run: CliRun, options: Parameters<typeof assertCliNoLeaks>[2] = {}) => {
  assertCliNoLeaks(fake, [run], { dirs: [cwd], ...options })
  return run
}

describe('cli token: default output, masked', () => {
  test('one JSON object on stdout: everything about the token but the token', async () => {
    const run = checked(
      await token([
        '--owner',
        'octo-org',
        '--repositories',
        'app',
        '--permissions',
        'contents:read'
      ])
    )
    expect(run.exitCode).toBe(0)
    const [minted] = issued()
    expect(JSON.parse(run.stdout)).toEqual({
      token_masked: `ghs_…${minted!.slice(-4)}`,
      token_hash: createHash('sha256').update(minted!).digest('base64'),
      expires_at: fake.tokens.get(minted!)!.expiresAt.toISOString().replace('.000Z', 'Z'),
      installation_id: installationId,
      app_slug: fake.app.slug,
      repositories: ['app'],
      permissions: { contents: 'read' }
    })
    expect(run.stdout.trim().split('\n')).toHaveLength(1)
    expect(calls()).toEqual([
      'GET /repos/octo-org/app/installation',
      `POST /app/installations/${installationId}/access_tokens`
    ])
    expect(fake.requests[1]!.body).toEqual({
      repositories: ['app'],
      permissions: { contents: 'read' }
    })
    expect(run.stdout + run.stderr).not.toMatch(/^::/m)
  })

  test('--installation-id, no owner: the mint is the only request; app_slug is null', async () => {
    const run = checked(await token(['--installation-id', String(installationId)]))
    expect(run.exitCode).toBe(0)
    expect(calls()).toEqual([`POST /app/installations/${installationId}/access_tokens`])
    expect(JSON.parse(run.stdout)).toMatchObject({
      app_slug: null,
      installation_id: installationId
    })
  })

  test('--rate-limit adds rate_limit from GET /rate_limit with the new token', async () => {
    const run = checked(await token(['--owner', 'octo-org', '--rate-limit']))
    expect(run.exitCode).toBe(0)
    const { rate_limit } = JSON.parse(run.stdout) as { rate_limit: Record<string, object> }
    expect(Object.keys(rate_limit).sort()).toEqual(['core', 'graphql', 'search'])
    expect(Object.keys(rate_limit.core!).sort()).toEqual(['limit', 'remaining', 'reset', 'used'])
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/rate_limit',
      auth: 'token'
    })
  })

  test('a permission the installation does not grant fails at mint time, naming it (exit 1)', async () => {
    const run = checked(await token(['--owner', 'octo-org', '--permissions', 'actions:write']))
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toBe(
      `error: The GitHub App '${fake.app.slug}' installation on 'octo-org' does not grant what --permissions asks for: actions: write (installation grants none). Either lower it in --permissions, or add it in the App's settings (Permissions & events) and have the installation owner accept the new permissions.\n`
    )
    expect(issued()).toEqual([])
  })
})

describe('cli token: delivery', () => {
  test('--token-file: a new file of mode 0600 holding exactly the token', async () => {
    const run = await token(['--owner', 'octo-org', '--token-file', 'tokens/gh-token'])
    const path = join(cwd, 'tokens/gh-token')
    checked(run, { allowedFiles: [path] })
    expect(run.exitCode).toBe(0)
    expect(readFileSync(path, 'utf8')).toBe(issued()[0])
    expect(lstatSync(path).mode & 0o777).toBe(0o600)
    expect(JSON.parse(run.stdout)).toMatchObject({ token_file: path })
    expect(run.stderr).toContain(`Wrote the token to ${path} (mode 0600)`)
  })

  test('--token-file never overwrites a file or follows a link, and mints nothing then', async () => {
    writeFileSync(join(cwd, 'existing'), 'keep me')
    writeFileSync(join(cwd, 'target'), 'not a token')
    symlinkSync(join(cwd, 'target'), join(cwd, 'link'))
    const existing = checked(await token(['--owner', 'octo-org', '--token-file', 'existing']))
    const link = checked(await token(['--owner', 'octo-org', '--token-file', 'link']))
    expect([existing.exitCode, link.exitCode]).toEqual([2, 2])
    expect(existing.stderr).toBe(
      "error: --token-file is 'existing', which already exists; an existing file is never overwritten.\n"
    )
    expect(link.stderr).toBe(
      "error: --token-file is 'link', which is a symbolic link; links are never followed.\n"
    )
    expect(readFileSync(join(cwd, 'existing'), 'utf8')).toBe('keep me')
    expect(readFileSync(join(cwd, 'target'), 'utf8')).toBe('not a token')
    expect(fake.requests).toEqual([])
  })

  test('--print-token: the bare token on stdout, for a pipe', async () => {
    const run = await token(['--owner', 'octo-org', '--print-token'])
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toBe(`${issued()[0]}\n`)
    checked(run, { stdoutMayHold: issued() })
  })

  test('--output json-with-token: the masked object plus token', async () => {
    const run = await token(['--owner', 'octo-org', '--output', 'json-with-token'])
    expect(run.exitCode).toBe(0)
    const result = JSON.parse(run.stdout) as Record<string, unknown>
    expect(result.token).toBe(issued()[0])
    expect(result.token_masked).toBe(`ghs_…${issued()[0]!.slice(-4)}`)
    checked(run, { stdoutMayHold: issued() })
  })
})

describe('cli token: credentials from the environment', () => {
  const envOnly = (extra: Record<string, string>) =>
    runCli(['token', '--owner', 'octo-org'], {
      fake,
      cwd,
      env: cliEnv({ GITHUB_APP_ID: String(fake.app.id), GITHUB_API_URL: fake.url, ...extra })
    })

  test.each([
    [
      'GITHUB_APP_PRIVATE_KEY, with \\n escapes',
      () => ({ GITHUB_APP_PRIVATE_KEY: fake.app.privateKey.trim().replaceAll('\n', '\\n') })
    ],
    [
      'GITHUB_APP_PRIVATE_KEY_PEM (alias)',
      () => ({ GITHUB_APP_PRIVATE_KEY_PEM: fake.app.privateKey })
    ],
    ['GITHUB_APP_PRIVATE_KEY_PATH', () => ({ GITHUB_APP_PRIVATE_KEY_PATH: keyFile })]
  ])('%s', async (_name, env) => {
    const run = checked(await envOnly(env()))
    expect(run.exitCode).toBe(0)
    expect(issued()).toHaveLength(1)
  })

  test('--private-key-stdin', async () => {
    const run = await runCli(
      [
        'token',
        '--app-id',
        String(fake.app.id),
        '--private-key-stdin',
        '--api-url',
        fake.url,
        '--owner',
        'octo-org'
      ],
      { fake, cwd, stdin: fake.app.privateKey }
    )
    checked(run)
    expect(run.exitCode).toBe(0)
  })

  test('flags win over the environment', async () => {
    const run = await runCli(['token', ...creds(), '--owner', 'octo-org'], {
      fake,
      cwd,
      env: cliEnv({
        GITHUB_APP_ID: 'not-a-number',
        GITHUB_APP_PRIVATE_KEY: 'not a key',
        GITHUB_API_URL: 'https://nowhere.invalid'
      })
    })
    checked(run)
    expect(run.exitCode).toBe(0)
  })

  test('GITHUB_APP_CLIENT_ID names the App as the JWT issuer', async () => {
    const run = checked(
      await envOnly({
        GITHUB_APP_ID: '',
        GITHUB_APP_CLIENT_ID: fake.app.clientId,
        GITHUB_APP_PRIVATE_KEY_PATH: keyFile
      })
    )
    expect(run.exitCode).toBe(0)
  })
})

describe('cli token: GitHub refusing is exit 1, in the action’s words with the flags’ names', () => {
  test('an installation ID the App does not have', async () => {
    const run = checked(await token(['--installation-id', '999']))
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toBe(
      "error: --installation-id is 999, but this App has no such installation (HTTP 404). Copy the ID from the installation's settings URL (…/settings/installations/ID), or leave --installation-id empty to look it up from --owner/--repositories.\n"
    )
  })

  test('an owner the App is not installed on', async () => {
    const run = checked(await token(['--owner', 'nobody']))
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toBe(
      "error: The GitHub App is not installed on the account 'nobody', or cannot see it (HTTP 404). Install the App on 'nobody' and give it access to the repositories you need (App settings → Install App), or check --owner and --repositories and that --app-id/--client-id names the right App.\n"
    )
    expect(issued()).toEqual([])
  })
})
