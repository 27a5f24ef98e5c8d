import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FakeGitHub } from '../../fake-github/server.js'
import {
  assertCliNoLeaks,
  cliEnv,
  NODE,
  runCli,
  type CliRun,
  useCliFixture
} from '../../harness/run-cli.js'

/**
 * `mint-token exec -- CMD` (dist/cli): the token only in CMD's environment, CMD's exit code, its
 * signals forwarded, and the token revoked however CMD ends.
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

const flags = () => [
  '--app-id',
  String(fake.app.id),
  '--private-key-file',
  keyFile,
  '--api-url',
  fake.url,
  '--owner',
  'octo-org'
]
const exec = (cmd: string[], extra: string[] = [], env?: Record<string, string>) =>
  runCli(['exec', ...flags(), ...extra, '--', ...cmd], { fake, cwd, env })
const sh = (script: string) => ['sh', '-c', script]
const only = () => {
  const tokens = [...fake.tokens.entries()]
  expect(tokens).toHaveLength(1)
  return { token: tokens[0]![0], revoked: tokens[0]![1].revoked }
}
const sha = (text: string) => createHash('sha256').update(text).digest('hex')
const checked = (run: CliRun, cmdlines: string[] = []) => {
  assertCliNoLeaks(fake, [run], { dirs: [cwd], cmdlines })
  return run
}

/** Polls for a file CMD writes once it runs: generous, since 2 busy cores may be slow to start it. */
async function waitForFile(path: string): Promise<string> {
  for (const started = Date.now(); Date.now() - started < 30_000;) {
    if (existsSync(path)) return readFileSync(path, 'utf8')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`${path} never appeared`)
}

describe('cli exec: the token in CMD’s environment only', () => {
  test('GH_TOKEN and GITHUB_TOKEN carry it; stdout is CMD’s alone; revoked after', async () => {
    const script = `const e = process.env; const h = require('node:crypto').createHash('sha256');
      process.stdout.write(h.update(e.GH_TOKEN).digest('hex') + ' ' + (e.GH_TOKEN === e.GITHUB_TOKEN) + ' ' + ('GITHUB_APP_PRIVATE_KEY' in e))`
    const run = checked(
      await runCli(
        [
          'exec',
          '--app-id',
          String(fake.app.id),
          '--api-url',
          fake.url,
          '--owner',
          'octo-org',
          '--',
          NODE,
          '-e',
          script
        ],
        { fake, cwd, env: cliEnv({ GITHUB_APP_PRIVATE_KEY: fake.app.privateKey }) }
      )
    )
    expect(run.exitCode).toBe(0)
    const { token, revoked } = only()
    expect(run.stdout).toBe(`${sha(token)} true false`)
    expect(revoked).toBe(true)
    expect(fake.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/installation/token' })
    expect(run.stderr).toContain('Revoked the token.')
  })

  test('--env chooses the variables', async () => {
    const run = checked(
      await exec(sh('test -n "$MY_TOKEN" && test -z "$GH_TOKEN$GITHUB_TOKEN"'), [
        '--env',
        'MY_TOKEN'
      ])
    )
    expect(run.exitCode).toBe(0)
  })

  test('--no-revoke leaves the token valid', async () => {
    const run = checked(await exec(['true'], ['--no-revoke']))
    expect(run.exitCode).toBe(0)
    expect(only().revoked).toBe(false)
    expect(fake.requests.map((r) => r.method)).not.toContain('DELETE')
  })
})

describe('cli exec: exit codes, and revoked however CMD ends', () => {
  test('CMD exits 3: exit 3, revoked', async () => {
    const run = checked(await exec(sh('exit 3')))
    expect(run.exitCode).toBe(3)
    expect(only().revoked).toBe(true)
  })

  test('CMD is killed (SIGKILL): exit 137, revoked', async () => {
    const run = checked(await exec(sh('kill -KILL $$')))
    expect(run.exitCode).toBe(137)
    expect(only().revoked).toBe(true)
  })

  test('CMD cannot be found: exit 127, revoked', async () => {
    const run = checked(await exec(['./no-such-command']))
    expect(run.exitCode).toBe(127)
    expect(run.stderr).toContain('Could not run ./no-such-command: ENOENT.')
    expect(only().revoked).toBe(true)
  })
})

describe('cli exec: signals to the CLI reach CMD', () => {
  /** exec with CMD = sh -c script, and the CLI's pid once it is spawned. */
  const run = (script: string) => {
    let pid = 0
    const done = runCli(['exec', ...flags(), '--', ...sh(script)], {
      fake,
      cwd,
      onSpawn: (child) => (pid = child.pid!)
    })
    return { done, pid: () => pid }
  }

  test('SIGTERM to the CLI while CMD runs: CMD gets it, exit 143, revoked', async () => {
    const cli = run('echo $$ > ready.tmp && mv ready.tmp ready && exec sleep 60')
    const cmdPid = (await waitForFile(join(cwd, 'ready'))).trim()
    // What `ps` shows of both processes while the token is live.
    const cmdlines = [cli.pid(), cmdPid].map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8'))
    process.kill(cli.pid(), 'SIGTERM')
    const done = checked(await cli.done, cmdlines)
    expect(done.exitCode).toBe(143)
    expect(only().revoked).toBe(true)
  })

  test.each([
    ['SIGTERM', 'TERM', 7],
    ['SIGINT', 'INT', 5]
  ] as const)(
    '%s is forwarded: CMD traps it and exits, and the CLI with its code',
    async (signal, trap, code) => {
      const cli = run(
        `trap 'exit ${code}' ${trap}; echo $$ > ready.tmp && mv ready.tmp ready; while :; do sleep 0.05; done`
      )
      await waitForFile(join(cwd, 'ready'))
      process.kill(cli.pid(), signal)
      const done = checked(await cli.done)
      expect(done.exitCode).toBe(code)
      expect(only().revoked).toBe(true)
    }
  )

  test('SIGTERM while the mint is in flight: the token is revoked, exit 143', async () => {
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    let arrived = () => {}
    const minting = new Promise<void>((resolve) => (arrived = resolve))
    fake.inject({ method: 'POST', path: /\/access_tokens$/, fault: { holdReplyUntil: held } })
    fake.onRequest({ method: 'POST', path: /\/access_tokens$/, run: () => arrived() })
    const cli = run('exec sleep 60')
    await minting
    process.kill(cli.pid(), 'SIGTERM')
    // Whether the CLI handles the signal before the reply (CMD never starts), while it hands
    // off (the rollback revokes) or once CMD runs (CMD gets it): exit 143, revoked.
    release()
    const done = checked(await cli.done)
    expect(done.exitCode).toBe(143)
    expect(only().revoked).toBe(true)
  })
})
