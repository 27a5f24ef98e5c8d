import type { FakeGitHub } from '../../fake-github/server.js'
import { appFlags, assertCliNoLeaks, NODE, runCli, useCliFixture } from '../../harness/run-cli.js'

/**
 * `--token-format` of `mint-token token` and `exec` (dist/cli) against the fake: the header the
 * mint sends, the token that comes out, and the refusal (exit 2, naming the flag).
 */
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

const creds = () => [...appFlags({ fake, keyFile }), '--owner', 'octo-org']
const formatHeaders = () =>
  fake.requests
    .filter((r) => r.path.endsWith('/access_tokens'))
    .map((r) => r.headers['x-github-stateless-s2s-token'])
const issued = () => [...fake.tokens.keys()]
const CLASSIC = /^ghs_[A-Za-z0-9]{36}$/
const STATELESS = /^ghs_\d+_[\w-]+\.[\w-]+\.[\w-]+$/

describe('cli token --token-format', () => {
  test('classic: header disabled, a 40-character token (--print-token)', async () => {
    const run = await runCli(['token', ...creds(), '--token-format', 'classic', '--print-token'], {
      fake,
      cwd
    })
    expect(run.exitCode).toBe(0)
    expect(formatHeaders()).toEqual(['disabled'])
    expect(run.stdout).toMatch(/^ghs_[A-Za-z0-9]{36}\n$/)
    expect(run.stdout).toBe(`${issued()[0]}\n`)
    expect(run.stderr).not.toMatch(/warning/i)
  })

  test('stateless: header enabled, a JWT of about 520 characters, masked in the JSON', async () => {
    fake.addInstallation({
      account: 'legacy-org',
      repositories: ['app'],
      permissions: { contents: 'read' },
      tokenFormat: 'classic'
    })
    const flags = [...appFlags({ fake, keyFile }), '--owner', 'legacy-org']
    const run = await runCli(['token', ...flags, '--token-format', 'stateless'], { fake, cwd })
    expect(run.exitCode).toBe(0)
    expect(formatHeaders()).toEqual(['enabled'])
    const [token] = issued() as [string]
    expect(token).toMatch(STATELESS)
    expect(token.length).toBeGreaterThan(400)
    expect(JSON.parse(run.stdout)).toMatchObject({ token_masked: `ghs_…${token.slice(-4)}` })
    assertCliNoLeaks(fake, [run], { dirs: [cwd] })
  })

  test("without it: no header, the installation's format", async () => {
    const run = await runCli(['token', ...creds()], { fake, cwd })
    expect(run.exitCode).toBe(0)
    expect(formatHeaders()).toEqual([undefined])
    expect(issued()[0]).toMatch(STATELESS)
  })
})

describe('cli exec --token-format', () => {
  test("classic: CMD's GH_TOKEN is 40 characters without a dot; revoked after", async () => {
    const script =
      "const t = process.env.GH_TOKEN; process.stdout.write(t.length + ' ' + t.includes('.'))"
    const run = await runCli(
      ['exec', ...creds(), '--token-format', 'classic', '--', NODE, '-e', script],
      { fake, cwd }
    )
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toBe('40 false')
    expect(formatHeaders()).toEqual(['disabled'])
    const [token] = issued() as [string]
    expect(token).toMatch(CLASSIC)
    expect(fake.tokens.get(token)!.revoked).toBe(true)
    assertCliNoLeaks(fake, [run], { dirs: [cwd] })
  })
})

describe('cli: a bad --token-format is exit 2 before any request, naming the flag', () => {
  test.each([
    ['token', []],
    ['exec', ['--', 'true']]
  ])('%s', async (command, rest) => {
    const run = await runCli([command, ...creds(), '--token-format', 'enabled', ...rest], {
      fake,
      cwd
    })
    expect(run.exitCode).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toBe(
      "error: --token-format is 'enabled'; expected stateless (a JWT of about 520 characters) or classic (40 characters), or left out for GitHub's default.\n"
    )
    expect(fake.requests).toEqual([])
  })
})
