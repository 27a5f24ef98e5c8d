import { createHash } from 'node:crypto'
import { existsSync, lstatSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FakeGitHub } from '../../fake-github/server.js'
import { jitConfigInnerSecrets } from '../../harness/assert-no-leaks.js'
import {
  assertCliNoLeaks,
  jitConfigsOf,
  NODE,
  runCli,
  type CliRun,
  useCliFixture,
  appFlags
} from '../../harness/run-cli.js'

/**
 * `mint-token jit-config` (dist/cli) against the fake API: a just-in-time runner whose encoded
 * configuration goes to exactly one place (a file, a pipe, a command), and nowhere else.
 */
let fake: FakeGitHub
let cwd: string
let keyFile: string
useCliFixture(
  {
    account: 'octo-org',
    repositorySelection: 'all',
    repositories: ['app'],
    permissions: { organization_self_hosted_runners: 'write', administration: 'write' }
  },
  (fixture) => ({ fake, cwd, keyFile } = fixture)
)

const jit = (args: string[], options: { onSpawn?: Parameters<typeof runCli>[1]['onSpawn'] } = {}) =>
  runCli(['jit-config', ...appFlags({ fake, keyFile }), '--owner', 'octo-org', ...args], {
    fake,
    cwd,
    // As inside a workflow: the server's web URL beside its API URL (see serverUrlFor).
    env: {
      PATH: process.env.PATH!,
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_API_URL: fake.url
    },
    ...options
  })
const checked = (run: CliRun, options: { allowedFiles?: string[]; cmdlines?: string[] } = {}) => {
  assertCliNoLeaks(fake, [run], { dirs: [cwd], ...options })
  return run
}
const config = () => {
  const configs = jitConfigsOf(fake)
  expect(configs).toHaveLength(1)
  return configs[0]!
}
const jitPosts = () => fake.requests.filter((r) => r.path.endsWith('/generate-jitconfig'))
const sha = (text: string) => createHash('sha256').update(text).digest('hex')
const LABELS = ['--labels', 'self-hosted,linux']

describe('cli jit-config: the configuration in one place', () => {
  test('--token-file: a new 0600 file; stdout says which runner; name generated as the action’s', async () => {
    const run = await jit([...LABELS, '--token-file', 'jit'])
    expect(run.exitCode).toBe(0)
    const path = join(cwd, 'jit')
    expect(readFileSync(path, 'utf8')).toBe(config())
    expect(lstatSync(path).mode & 0o777).toBe(0o600)
    const runner = fake.runners[0]!
    expect(JSON.parse(run.stdout)).toEqual({
      runner_id: runner.id,
      runner_name: runner.name,
      url: 'https://github.example/octo-org',
      labels: ['self-hosted', 'linux'],
      group: { id: 1, name: 'Default' },
      config_file: path
    })
    expect(runner.name).toMatch(/^mint-token-[0-9a-z]{6,7}-local-1-[0-9a-f]{6}$/)
    expect(jitPosts()[0]!.body).toEqual({
      name: runner.name,
      runner_group_id: 1,
      labels: ['self-hosted', 'linux'],
      work_folder: '_work'
    })
    expect(fake.requests[1]!.body).toEqual({
      permissions: { organization_self_hosted_runners: 'write' }
    })
    expect([...fake.tokens.values()].every((t) => t.revoked)).toBe(true)
    checked(run, { allowedFiles: [path] })
  })

  test('--print-token: the bare configuration on stdout (a pipe), a line on stderr', async () => {
    const run = await jit([
      ...LABELS,
      '--print-token',
      '--repository',
      'app',
      '--name',
      'build-7',
      '--work-folder',
      'w/_work'
    ])
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toBe(`${config()}\n`)
    expect(jitPosts()[0]!.path).toBe('/repos/octo-org/app/actions/runners/generate-jitconfig')
    expect(jitPosts()[0]!.body).toMatchObject({ name: 'build-7', work_folder: 'w/_work' })
    expect(run.stderr).toContain(`Registered runner build-7 (id ${fake.runners[0]!.id})`)
    for (const secret of jitConfigInnerSecrets(config())) expect(run.stderr).not.toContain(secret)
  })

  test('-- CMD: the configuration in MINT_TOKEN_JIT_CONFIG only; CMD’s exit code; an unused runner removed', async () => {
    const script = `const e = process.env; const h = require('node:crypto').createHash('sha256');
      process.stdout.write(h.update(e.MINT_TOKEN_JIT_CONFIG).digest('hex') + ' ' + ('GITHUB_APP_PRIVATE_KEY' in e)); process.exit(3)`
    const run = checked(await jit([...LABELS, '--', NODE, '-e', script]))
    expect(run.exitCode).toBe(3)
    expect(run.stdout).toBe(`${sha(config())} false`)
    // The fake's runner never came online: --cleanup if-unused (the default) removes it.
    expect(fake.runners).toEqual([])
    expect(run.stderr).toMatch(/Removed runner mint-token-\S+ \(id \d+\)\./)
    expect([...fake.tokens.values()].every((t) => t.revoked)).toBe(true)
  })

  test('-- CMD: a runner that is online when CMD ends stays (if-unused); --cleanup never leaves it', async () => {
    fake.onRequest({
      method: 'POST',
      path: /\/generate-jitconfig$/,
      run: () => queueMicrotask(() => fake.runners.forEach((r) => (r.status = 'online')))
    })
    const run = checked(await jit([...LABELS, '--', 'true']))
    expect(run.exitCode).toBe(0)
    expect(fake.runners).toHaveLength(1)
    expect(run.stderr).toContain(
      "it is online ('--cleanup if-unused' removes only offline runners)"
    )
    const never = checked(await jit([...LABELS, '--cleanup', 'never', '--', 'true']))
    expect(never.exitCode).toBe(0)
    expect(never.stderr).toContain('registered (--cleanup never).')
    expect(fake.runners).toHaveLength(2)
  })

  test('SIGTERM to the CLI while CMD runs: CMD gets it, exit 143, the runner removed', async () => {
    let pid = 0
    const done = jit([...LABELS, '--', 'sh', '-c', 'touch ready; exec sleep 60'], {
      onSpawn: (child) => (pid = child.pid!)
    })
    for (const started = Date.now(); !existsSync(join(cwd, 'ready'));) {
      if (Date.now() - started > 30_000) throw new Error('CMD never started')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    process.kill(pid, 'SIGTERM')
    const run = checked(await done)
    expect(run.exitCode).toBe(143)
    expect(fake.runners).toEqual([])
  })

  test('a file that exists already: refused before anything is registered', async () => {
    const first = await jit([...LABELS, '--token-file', 'jit'])
    expect(first.exitCode).toBe(0)
    const before = fake.requests.length
    const again = await jit([...LABELS, '--token-file', 'jit'])
    expect(again.exitCode).toBe(2)
    expect(fake.requests.length).toBe(before)
  })
})

describe('cli jit-config: refused before any request (exit 2)', () => {
  test.each([
    [
      [...LABELS],
      'Nothing says where the runner configuration goes; choose one of --token-file PATH, --print-token, or -- CMD (which gets it as MINT_TOKEN_JIT_CONFIG).'
    ],
    [
      [...LABELS, '--token-file', 'x', '--print-token'],
      '--token-file and --print-token both say where the runner configuration goes; choose one of --token-file PATH, --print-token, or -- CMD (which gets it as MINT_TOKEN_JIT_CONFIG).'
    ],
    [
      ['--token-file', 'x'],
      "--labels has 0 labels; a JIT runner needs 1 to 100 (e.g. 'self-hosted, linux, x64, gpu'). They are sent exactly as given, so include every label your 'runs-on' uses."
    ],
    [
      [...LABELS, '--token-file', 'x', '--work-folder', '../up'],
      "--work-folder is '../up', which has a '..' segment; expected a folder inside the runner's directory, relative to it (e.g. '_work')."
    ],
    [
      [...LABELS, '--token-file', 'x', '--name', 'a', '--name-prefix', 'b'],
      '--name and --name-prefix are both set; --name is the whole name, --name-prefix the start of a generated one. Set one of them.'
    ],
    [
      [...LABELS, '--token-file', 'x', '--cleanup', 'always'],
      '--cleanup applies only with -- CMD: without a command, mint-token exits once the configuration is delivered.'
    ],
    [
      [...LABELS, '--repository', 'app', '--group', 'gpu', '--token-file', 'x'],
      "--group is 'gpu', but runner groups belong to organizations; a repository runner joins group 1. Leave it empty, or register at the organization level."
    ]
  ])('%j', async (args, message) => {
    const run = checked(await jit(args))
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain(message)
    expect(run.stdout).toBe('')
    expect(fake.requests).toEqual([])
  })
})
