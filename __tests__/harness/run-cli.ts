import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js'
import type { AddInstallation } from '../fake-github/types.js'
import { filesBelow } from './run-action.js'
import { fragmentsOf, jitConfigInnerSecrets, keyLinesOf } from './assert-no-leaks.js'

/** Runs the bundled command line (dist/cli/index.js) as a user's shell would: a node24 subprocess. */

const ROOT = resolve(import.meta.dirname, '../..')
export const NODE = join(ROOT, 'node_modules/.bin/node')
export const CLI = join(ROOT, 'dist/cli/index.js')

export interface CliRun {
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** The argv the CLI was started with (what `ps` shows first). */
  argv: string[]
}

/** A machine outside Actions: no GITHUB_*, RUNNER_* or INPUT_* variable, its own working directory. */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir(), ...extra }
}

/** A fresh working directory, and the key in a file there (0600), as an operator keeps it. */
export function newWorkdir(fake: FakeGitHub): { cwd: string; keyFile: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'mint-token-cli-'))
  const keyFile = join(cwd, 'app.pem')
  writeFileSync(keyFile, fake.app.privateKey, { mode: 0o600 })
  return { cwd, keyFile }
}

/** What a command-line test starts from: the fake, its one installation, a workdir with the key. */
export interface CliFixture {
  fake: FakeGitHub
  installationId: number
  cwd: string
  keyFile: string
}

/**
 * A fresh fake with one installation and a fresh working directory for every test of the suite,
 * handed to `use` (the suite keeps them in its own variables); the fake closes after each test.
 */
export function useCliFixture(installation: AddInstallation, use: (fixture: CliFixture) => void) {
  let fake: FakeGitHub | undefined
  beforeEach(async () => {
    fake = await startFakeGitHub()
    const installationId = fake.addInstallation(installation).id
    use({ fake, installationId, ...newWorkdir(fake) })
  })
  afterEach(async () => fake?.close())
}

/** The App's flags for a fixture: its ID, the key's file and the fake's API URL. */
export const appFlags = ({ fake, keyFile }: Pick<CliFixture, 'fake' | 'keyFile'>) => [
  '--app-id',
  String(fake.app.id),
  '--private-key-file',
  keyFile,
  '--api-url',
  fake.url
]

export function runCli(
  args: string[],
  options: {
    cwd: string
    env?: Record<string, string>
    stdin?: string
    onSpawn?: (child: ChildProcess) => void
    /** Given, every run is checked for leaks of its key and tokens (see checkEveryRun). */
    fake?: FakeGitHub
  }
): Promise<CliRun> {
  const argv = [NODE, CLI, ...args]
  return new Promise((done, fail) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      env: options.env ?? cliEnv(),
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.stdin.on('error', () => {}) // the CLI may exit before reading a stdin it does not need
    child.stdin.end(options.stdin ?? '')
    child.on('error', fail)
    options.onSpawn?.(child)
    child.on('close', (exitCode, signal) => {
      const run = { exitCode, signal, stdout, stderr, argv }
      try {
        if (options.fake) checkEveryRun(options.fake, args, run)
        done(run)
      } catch (error) {
        fail(error instanceof Error ? error : new Error(String(error)))
      }
    })
  })
}

/**
 * The leak check every run gets: no key line or token on stdout (unless --print-token or
 * json-with-token asked for the token there), stderr or argv (unless the test put the key on
 * argv on purpose, to see it refused). Files and live command lines are checked per test.
 */
function checkEveryRun(fake: FakeGitHub, args: string[], run: CliRun): void {
  // A credential helper's answer is the token, on stdout, for git alone.
  const printed =
    args.includes('--print-token') ||
    args.includes('json-with-token') ||
    args[0] === 'git-credential'
  const keyOnArgv = args.some((arg) => /^--private-key(=|$)/.test(arg))
  assertCliNoLeaks(fake, [keyOnArgv ? { ...run, argv: [] } : run], {
    stdoutMayHold: printed ? [...fake.tokens.keys(), ...jitConfigsOf(fake)] : []
  })
}

/** Every encoded JIT configuration the fake handed out: a runner's credentials, as a token is. */
export function jitConfigsOf(fake: FakeGitHub): string[] {
  return fake.requests.flatMap((request) => {
    const body = request.responseBody as { encoded_jit_config?: unknown } | undefined
    return typeof body?.encoded_jit_config === 'string' ? [body.encoded_jit_config] : []
  })
}

/**
 * Fails if the App's key (line by line) or any token the fake issued (or 32 characters of one)
 * shows in a run's stdout, stderr or argv, in a process's command line read while it ran
 * (`cmdlines`), or in any file under `dirs` but the ones the command was asked to write.
 * `stdoutMayHold`: the tokens a --print-token or json-with-token run was asked to print.
 */
export function assertCliNoLeaks(
  fake: FakeGitHub,
  runs: CliRun[],
  options: {
    dirs?: string[]
    allowedFiles?: string[]
    stdoutMayHold?: string[]
    cmdlines?: string[]
  } = {}
): void {
  const secrets = [
    ...keyLinesOf(fake.app.privateKey),
    ...[...fake.tokens.keys()].flatMap(fragmentsOf),
    ...jitConfigsOf(fake).flatMap((config) => [
      ...fragmentsOf(config),
      ...jitConfigInnerSecrets(config).flatMap(fragmentsOf)
    ])
  ]
  const problems: string[] = []
  const check = (where: string, text: string) => {
    if (secrets.some((secret) => text.includes(secret))) problems.push(where)
  }
  for (const run of runs) {
    const asked = options.stdoutMayHold ?? []
    check(
      'stdout',
      asked.reduce((text, token) => text.split(token).join(''), run.stdout)
    )
    check('stderr', run.stderr)
    check('argv', run.argv.join(' '))
  }
  for (const cmdline of options.cmdlines ?? []) check('a command line (/proc/PID/cmdline)', cmdline)
  for (const dir of options.dirs ?? []) {
    for (const file of filesBelow(dir)) {
      if (file.path.endsWith('app.pem') || options.allowedFiles?.includes(file.path)) continue
      check(`the file ${file.path}`, file.content)
    }
  }
  if (problems.length > 0) throw new Error(`Secret leak: ${[...new Set(problems)].join('; ')}`)
}
