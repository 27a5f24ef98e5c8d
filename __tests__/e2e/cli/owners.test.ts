import type { FakeGitHub } from '../../fake-github/server.js'
import { appFlags, runCli, useCliFixture } from '../../harness/run-cli.js'

/** `mint-token token --owners` (dist/cli): the masked map, one token per owner; exec refuses it. */
let fake: FakeGitHub
let cwd: string
let keyFile: string
useCliFixture(
  { account: 'octo-a', repositories: ['app'], permissions: { contents: 'write' } },
  (fixture) => ({ fake, cwd, keyFile } = fixture)
)
beforeEach(() => {
  fake.addInstallation({
    account: 'octo-b',
    repositories: ['web'],
    permissions: { contents: 'write' }
  })
})

const mints = () => fake.requests.filter((r) => r.path.endsWith('/access_tokens'))

test('token --owners: one token per owner, masked; the tokens only with json-with-token', async () => {
  const run = await runCli(
    [
      'token',
      ...appFlags({ fake, keyFile }),
      '--owners',
      'octo-a,octo-b',
      '--permissions',
      'contents:read'
    ],
    { cwd, fake }
  )
  expect(run.exitCode).toBe(0)
  const { tokens } = JSON.parse(run.stdout) as { tokens: Record<string, Record<string, unknown>> }
  expect(Object.keys(tokens)).toEqual(['octo-a', 'octo-b'])
  expect(tokens['octo-a']).toMatchObject({
    token_masked: expect.stringMatching(/^ghs_…/) as unknown,
    permissions: { contents: 'read' }
  })
  expect(tokens['octo-a']!.token).toBeUndefined()
  expect(mints()).toHaveLength(2)
  const withTokens = await runCli(
    [
      'token',
      ...appFlags({ fake, keyFile }),
      '--owners',
      'octo-a,octo-b',
      '--output',
      'json-with-token'
    ],
    { cwd, fake }
  )
  const parsed = JSON.parse(withTokens.stdout) as { tokens: Record<string, { token: string }> }
  expect(fake.tokens.has(parsed.tokens['octo-b']!.token)).toBe(true)
})

test('an owner without an installation: exit 1 naming it, the other token revoked', async () => {
  const run = await runCli(['token', ...appFlags({ fake, keyFile }), '--owners', 'octo-a,nobody'], {
    cwd,
    fake
  })
  expect(run.exitCode).toBe(1)
  expect(run.stderr).toContain('nobody')
  expect([...fake.tokens.values()].every((t) => t.revoked)).toBe(true)
})

test.each([
  [['token', '--owners', 'octo-a', '--owner', 'octo-b'], '--owners and --owner are both given'],
  [
    ['token', '--owners', 'octo-a', '--token-file', 'x'],
    '--owners and --token-file are both given'
  ],
  [
    ['exec', '--owners', 'octo-a', '--', 'true'],
    "--owners mints several tokens, and CMD's environment takes one"
  ]
])('refused (exit 2): %j', async (args, message) => {
  const [command, ...rest] = args
  const run = await runCli([command!, ...appFlags({ fake, keyFile }), ...rest], { cwd, fake })
  expect(run.exitCode).toBe(2)
  expect(run.stderr).toContain(message)
  expect(fake.requests).toEqual([])
})
