import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gitCredentialEnv } from '../../src/lib/git/git-credential-env.js'
import { emptyHome, gitStepEnv, runGit } from '../harness/git-client.js'

/** The credential helper as git runs it (`git credential`), with the exported variables. */
const ORIGIN = 'https://github.com'
const QUERY = 'protocol=https\nhost=github.com\n\n'
const TOKEN = 'ghs_' + 'A1b2C3d4'.repeat(5)
let dir: string
let tokenFile: string
let home: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mint-token-git-helper-'))
  tokenFile = join(dir, 'token')
  writeFileSync(tokenFile, TOKEN, { mode: 0o600 })
  home = emptyHome()
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
  rmSync(home, { recursive: true, force: true })
})

function envFor(file: string, extra: Record<string, string> = {}): Record<string, string> {
  const { exported } = gitCredentialEnv({ origin: ORIGIN, tokenFile: file, environment: {} })
  return gitStepEnv(home, { ...exported, ...extra })
}

const fill = (env: Record<string, string>) => runGit(['credential', 'fill'], { env, input: QUERY })

describe('git credential helper', () => {
  test('get: x-access-token and the file content, read again at every use, masked first', async () => {
    const first = await fill(envFor(tokenFile))
    expect(first).toEqual({
      code: 0,
      stdout: `protocol=https\nhost=github.com\nusername=x-access-token\npassword=${TOKEN}\n`,
      // git passes the helper's stderr on: the runner registers the token before any use.
      stderr: `::add-mask::${TOKEN}\n`
    })
    writeFileSync(tokenFile, 'ghs_refreshed')
    const second = await fill(envFor(tokenFile))
    expect(second.stdout).toContain('password=ghs_refreshed\n')
    expect(second.stderr).toBe('::add-mask::ghs_refreshed\n')
  })

  test('an empty file: no credential, no mask, git fails without asking', async () => {
    writeFileSync(tokenFile, '')
    const result = await fill(envFor(tokenFile))
    expect(result.code).toBe(128)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(
      "fatal: could not read Username for 'https://github.com': terminal prompts disabled\n"
    )
  })

  test('store and erase change nothing: the file is not git’s to write or delete', async () => {
    const credential = `${QUERY.trim()}\nusername=x-access-token\npassword=ghs_other\n\n`
    for (const operation of ['approve', 'reject']) {
      const result = await runGit(['credential', operation], {
        env: envFor(tokenFile),
        input: credential
      })
      expect(result).toEqual({ code: 0, stdout: '', stderr: '' })
    }
    expect(readFileSync(tokenFile, 'utf8')).toBe(TOKEN)
    // Run as git runs it: `sh -c '<command> <operation>'`.
    const command = envFor(tokenFile).GIT_CONFIG_VALUE_1!.slice(1)
    const run = (operation: string) =>
      spawnSync('sh', ['-c', `${command} ${operation}`], { encoding: 'utf8' }).stdout
    expect([run('store'), run('erase'), run('get')]).toEqual([
      '',
      '',
      `username=x-access-token\npassword=${TOKEN}\n`
    ])
  })

  test('a path with spaces, quotes, $ and backquotes reaches the shell as one word', async () => {
    const odd = join(dir, `it's a "token" $HOME \`id\``)
    mkdirSync(odd)
    writeFileSync(join(odd, 'token'), TOKEN)
    expect((await fill(envFor(join(odd, 'token')))).stdout).toContain(`password=${TOKEN}\n`)
  })

  test('a missing file: the helper prints nothing and git fails without asking', async () => {
    rmSync(tokenFile)
    const result = await fill(envFor(tokenFile))
    expect(result.code).toBe(128)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(
      "fatal: could not read Username for 'https://github.com': terminal prompts disabled\n"
    )
  })

  test('the token is in no argument of git, the helper or what it runs', async () => {
    // Programs first on PATH that log their arguments (the helper must run none: read, printf,
    // echo and test are sh builtins), and git's own trace of what it runs.
    const bin = join(dir, 'bin')
    mkdirSync(bin)
    const log = join(dir, 'argv.log')
    for (const name of ['cat', 'printf', 'echo', 'test', 'head']) {
      writeFileSync(
        join(bin, name),
        `#!/bin/sh\necho "${name} $*" >> '${log}'\nexec /usr/bin/${name} "$@"\n`
      )
      chmodSync(join(bin, name), 0o755)
    }
    const trace = join(dir, 'trace.log')
    const env = envFor(tokenFile, { GIT_TRACE: trace })
    env.PATH = `${bin}:${env.PATH}`
    expect((await fill(env)).stdout).toContain(`password=${TOKEN}\n`)
    expect(existsSync(log)).toBe(false)
    const traced = readFileSync(trace, 'utf8')
    expect(traced).toContain(`run_command: 'f() { test "$1" = get`)
    expect(traced).toContain(tokenFile)
    expect(traced).not.toContain(TOKEN)
  })
})
