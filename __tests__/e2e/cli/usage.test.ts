import { spawn } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { FakeGitHub } from '../../fake-github/server.js'
import {
  assertCliNoLeaks,
  CLI,
  cliEnv,
  NODE,
  runCli,
  useCliFixture
} from '../../harness/run-cli.js'

/** The command line's refusals: exit 2, one exact line on stderr, nothing on stdout, no request. */
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

const app = () => ['--app-id', String(fake.app.id), '--api-url', fake.url, '--owner', 'octo-org']
const withKey = () => [...app(), '--private-key-file', keyFile]
const KEY_ON_ARGV =
  'error: A private key is never taken as a flag value: the command line is visible to every user in `ps` and stays in the shell history. Use --private-key-file PATH, --private-key-stdin, or the environment variable GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_PATH).\n'

const cases: [string, () => string[], string][] = [
  [
    'missing key',
    () => ['token', ...app()],
    'error: No private key. Pass --private-key-file PATH or --private-key-stdin, or set GITHUB_APP_PRIVATE_KEY (the PEM text) or GITHUB_APP_PRIVATE_KEY_PATH.\n'
  ],
  [
    'key on argv: --private-key VALUE',
    () => ['token', ...app(), '--private-key', fake.app.privateKey],
    KEY_ON_ARGV
  ],
  [
    'key on argv: --private-key=VALUE',
    () => ['token', ...app(), `--private-key=${fake.app.privateKey}`],
    KEY_ON_ARGV
  ],
  [
    'key on argv, exec',
    () => ['exec', ...app(), '--private-key', fake.app.privateKey, '--', 'true'],
    KEY_ON_ARGV
  ],
  [
    'unknown permission',
    () => ['token', ...withKey(), '--permissions', 'contnets:read'],
    "error: --permissions names an unknown permission 'contnets'. Did you mean 'contents'? Valid names are listed at https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app\n"
  ],
  [
    'two delivery flags',
    () => ['token', ...withKey(), '--print-token', '--token-file', 'gh-token'],
    'error: --token-file and --print-token both say where the token goes; choose one of --token-file, --print-token and --output json-with-token.\n'
  ],
  [
    'an App ID that is not a number',
    () => ['token', '--app-id', 'Iv1.abc', '--private-key-file', keyFile, '--owner', 'octo-org'],
    "error: --app-id is 'Iv1.abc', but an App ID is a number. For a Client ID (Iv…), use --client-id.\n"
  ],
  [
    'an owner that is not a login',
    () => ['token', ...withKey().slice(0, 4), '--private-key-file', keyFile, '--owner', 'octo org'],
    "error: --owner is 'octo org', which is not a GitHub user or organization name.\n"
  ],
  [
    'an API URL with a password',
    () => [
      'token',
      '--app-id',
      '1',
      '--private-key-file',
      keyFile,
      '--owner',
      'o',
      '--api-url',
      'https://me:pw@ghes.example/api/v3'
    ],
    "error: --api-url has a user name or password ('user:password@' before the host), which is not allowed in the API's base URL. Remove it: 'https://ghes.example/api/v3'.\n"
  ],
  [
    'an unknown flag',
    () => ['token', ...withKey(), '--repos', 'app'],
    "error: Unknown option '--repos'. See 'mint-token token --help'.\n"
  ],
  [
    'an unknown command',
    () => ['mint'],
    "error: Unknown command 'mint'. Commands: token, exec, runner-token, jit-config, revoke, git-credential, runners, serve, audit.\n"
  ],
  [
    'an unknown runners command',
    () => ['runners', 'purge', ...withKey()],
    "error: Unknown command 'runners purge'. Commands: runners prune, runners remove.\n"
  ],
  [
    'runners remove: --id and --name both',
    () => ['runners', 'remove', ...withKey(), '--id', '3', '--name', 'box'],
    "error: --id ('3') and --name ('box') are both set; set one of them to remove that runner, or neither to prune by --name-prefix and --older-than.\n"
  ],
  [
    'runners remove: neither --id nor --name',
    () => ['runners', 'remove', ...withKey()],
    "error: Neither --id nor --name is given; set one of them to the runner to remove. To remove stale runners by age, use 'mint-token runners prune'.\n"
  ],
  [
    'runners remove: an --id that is not a number',
    () => ['runners', 'remove', ...withKey(), '--id', '3a'],
    "error: --id is '3a'; expected a runner's ID, a positive whole number (Settings → Actions → Runners, or the 'runner-id' output of mint-token).\n"
  ],
  [
    'runners prune: a bad --older-than',
    () => ['runners', 'prune', ...withKey(), '--older-than', '0m'],
    "error: --older-than is '0m'; expected a positive whole number and a unit, s, m, h, d or w (e.g. '30m', '2h', '1d').\n"
  ],
  [
    'runners prune: an empty --name-prefix',
    () => ['runners', 'prune', ...withKey(), '--name-prefix', ' '],
    "error: --name-prefix is empty; expected the prefix of the runner names to prune (e.g. 'mint-token'). It can't be empty: only runners whose name starts with it are ever touched.\n"
  ],
  [
    'runners prune: no --owner',
    () => ['runners', 'prune', '--app-id', '1', '--private-key-file', keyFile],
    'error: --owner is empty; set it to the organization (or, with --repository, the repository owner) whose runners to remove.\n'
  ],
  [
    'runners prune: --id belongs to remove',
    () => ['runners', 'prune', ...withKey(), '--id', '3'],
    "error: Unknown option '--id'. See 'mint-token runners prune --help'.\n"
  ],
  [
    'exec without a command',
    () => ['exec', ...withKey()],
    "error: No command to run: put it after '--', e.g. 'mint-token exec --owner O -- gh repo list'.\n"
  ]
]

describe('cli: bad input is exit 2 with the action’s wording, naming the flag', () => {
  test.each(cases)('%s', async (_name, args, message) => {
    const run = await runCli(args(), { fake, cwd })
    expect(run.exitCode).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr.slice(run.stderr.lastIndexOf('error: '))).toBe(message)
    expect(fake.requests).toEqual([])
    // The key given on argv is refused without ever being printed.
    assertCliNoLeaks(fake, [{ ...run, argv: [] }], { dirs: [cwd] })
  })

  test('a variable is named when it supplied the value', async () => {
    const run = await runCli(['token', '--owner', 'octo-org'], {
      fake,
      cwd,
      env: cliEnv({ GITHUB_APP_ID: '12x', GITHUB_APP_PRIVATE_KEY_PATH: keyFile })
    })
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toBe(
      "error: GITHUB_APP_ID is '12x', but an App ID is a number. For a Client ID (Iv…), use --client-id.\n"
    )
  })

  test('the key diagnosis names its source', async () => {
    const run = await runCli(['token', ...app()], {
      fake,
      cwd,
      env: cliEnv({ GITHUB_APP_PRIVATE_KEY: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKm' })
    })
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toMatch(
      /^error: GITHUB_APP_PRIVATE_KEY is a public key, but the App's private key is expected\./
    )
  })
})

describe('cli: a token is never printed on a terminal without --force', () => {
  /** Runs the CLI with stdout on a real pseudo-terminal, through util-linux `script`. */
  // Asynchronous: the fake API answers from this very process.
  const onTerminal = async (args: string[]) => {
    const log = join(cwd, 'typescript.log')
    const command = [NODE, CLI, ...args].map((arg) => `'${arg}'`).join(' ')
    const script = spawn('script', ['-qec', command, log], {
      cwd,
      env: cliEnv(),
      stdio: 'ignore'
    })
    const status = await new Promise<number | null>((done) => script.on('close', done))
    return { status, shown: readFileSync(log, 'utf8') }
  }

  test.each([['--print-token'], ['--output', 'json-with-token']])(
    '%s on a pty is refused (exit 2)',
    async (...flag) => {
      const { status, shown } = await onTerminal(['token', ...withKey(), ...flag])
      expect(status).toBe(2)
      expect(shown).toContain(
        `error: ${flag.join(' ')} would print the token on a terminal, where it stays in the scroll-back and in screen recordings. Pipe or redirect standard output (e.g. | gh auth login --with-token), use --token-file or 'mint-token exec', or add --force.`
      )
      expect(fake.requests).toEqual([])
    }
  )

  test('--force prints it anyway', async () => {
    const { status, shown } = await onTerminal(['token', ...withKey(), '--print-token', '--force'])
    expect(status).toBe(0)
    expect(shown).toContain([...fake.tokens.keys()][0])
  })
})

describe('cli: --help, --version, and no Actions protocol', () => {
  test('--help on every command; --version', async () => {
    for (const command of ['token', 'exec', 'revoke']) {
      const run = await runCli([command, '--help'], { fake, cwd })
      expect(run.exitCode).toBe(0)
      expect(run.stdout).toMatch(new RegExp(`^Usage: mint-token ${command} `))
    }
    const version = await runCli(['--version'], { fake, cwd })
    const { version: expected } = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8')
    ) as { version: string }
    expect(version.stdout).toBe(`${expected}\n`)
  })

  test("package.json's bin is dist/cli/index.js, runnable as a program (#! line, executable)", () => {
    const root = join(import.meta.dirname, '../../..')
    const { bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      bin: Record<string, string>
    }
    expect(bin).toEqual({ 'mint-token': 'dist/cli/index.js' })
    const path = join(root, bin['mint-token']!)
    expect(readFileSync(path, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
    expect(statSync(path).mode & 0o111).toBe(0o111)
  })

  test('the bundle holds no @actions/core; a run writes no workflow command', async () => {
    const dist = join(import.meta.dirname, '../../../dist/cli')
    expect(readFileSync(join(dist, 'licenses.txt'), 'utf8')).not.toContain('@actions/core')
    // Strings only @actions/core has: its OIDC client and its file commands.
    for (const marker of ['ACTIONS_ID_TOKEN_REQUEST_URL', 'GITHUB_STATE', 'ACTIONS_STEP_DEBUG'])
      expect(readFileSync(join(dist, 'index.js'), 'utf8')).not.toContain(marker)
    const run = await runCli(['token', ...withKey(), '--permissions', 'contents:read'], {
      fake,
      cwd
    })
    expect(run.exitCode).toBe(0)
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/::/)
  })
})
