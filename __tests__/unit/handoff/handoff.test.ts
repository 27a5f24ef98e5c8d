import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
  existsSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseHandoffInputs } from '../../../src/action/inputs/parse-handoff-inputs.js'
import { removeTokenFile } from '../../../src/lib/handoff/remove-token-file.js'
import { tokenHash } from '../../../src/lib/installation/token-hash.js'
import { writeTokenFile } from '../../../src/lib/handoff/write-token-file.js'

const SECRET = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a'

describe('tokenHash', () => {
  test("is GitHub's audit-log hashed_token: base64 of the token's SHA-256", () => {
    // echo -n ghs_16C7e42F292c6912E7710c838347Ae178B4a | openssl dgst -sha256 -binary | base64
    expect(tokenHash(SECRET)).toBe('eXwM5BRYbMjraSmv6UfHIOPk01HdBwpv459jC+qrMFQ=')
  })
})

describe('writeTokenFile', () => {
  let runnerTemp: string
  let workspace: string
  beforeEach(() => {
    runnerTemp = mkdtempSync(join(tmpdir(), 'mint-token-rt-'))
    workspace = mkdtempSync(join(tmpdir(), 'mint-token-ws-'))
  })
  const places = () => ({ runnerTemp, workspace })
  const mode = (path: string) => statSync(path).mode & 0o777

  test("'true': a new 0700 directory under RUNNER_TEMP with a 0600 file 'token', no newline", () => {
    const file = writeTokenFile({ kind: 'temp' }, SECRET, places())
    expect(file.path).toMatch(new RegExp(`^${runnerTemp}/mint-token-[^/]+/token$`))
    expect(readFileSync(file.path, 'utf8')).toBe(SECRET)
    expect(mode(file.path)).toBe(0o600)
    expect(mode(file.createdDirs[0]!)).toBe(0o700)
    expect(removeTokenFile(file)).toBe(true)
    expect(existsSync(file.createdDirs[0]!)).toBe(false)
  })

  test('a relative path is under RUNNER_TEMP; missing parents are made 0700 and removed again', () => {
    const file = writeTokenFile({ kind: 'path', path: 'a/b/gh-token' }, SECRET, places())
    expect(file.path).toBe(join(runnerTemp, 'a/b/gh-token'))
    expect(file.createdDirs).toEqual([join(runnerTemp, 'a/b'), join(runnerTemp, 'a')])
    expect(mode(join(runnerTemp, 'a'))).toBe(0o700)
    expect(mode(file.path)).toBe(0o600)
    removeTokenFile(file)
    expect(existsSync(join(runnerTemp, 'a'))).toBe(false)
  })

  test('a path inside the workspace is refused, also through a link', () => {
    expect(() =>
      writeTokenFile({ kind: 'path', path: join(workspace, 'token') }, SECRET, places())
    ).toThrow(
      `Input 'token-file' is '${join(workspace, 'token')}', which is inside GITHUB_WORKSPACE, where credentials must never be written (other steps and artifacts read it); use a path under RUNNER_TEMP, or true.`
    )
    symlinkSync(workspace, join(runnerTemp, 'sneaky'))
    expect(() => writeTokenFile({ kind: 'path', path: 'sneaky/token' }, SECRET, places())).toThrow(
      'is inside GITHUB_WORKSPACE'
    )
    expect(existsSync(join(workspace, 'token'))).toBe(false)
  })

  test('an existing link or file is refused, never followed or overwritten', () => {
    const target = join(runnerTemp, 'target')
    writeFileSync(target, 'keep')
    symlinkSync(target, join(runnerTemp, 'link'))
    expect(() => writeTokenFile({ kind: 'path', path: 'link' }, SECRET, places())).toThrow(
      "Input 'token-file' is 'link', which is a symbolic link; links are never followed."
    )
    expect(() => writeTokenFile({ kind: 'path', path: 'target' }, SECRET, places())).toThrow(
      "Input 'token-file' is 'target', which already exists; an existing file is never overwritten."
    )
    expect(readFileSync(target, 'utf8')).toBe('keep')
    expect(lstatSync(join(runnerTemp, 'link')).isSymbolicLink()).toBe(true)
  })

  test('removal leaves a directory it did not make, and one that is not empty', () => {
    mkdirSync(join(runnerTemp, 'mine'))
    const file = writeTokenFile({ kind: 'path', path: 'mine/token' }, SECRET, places())
    expect(file.createdDirs).toEqual([])
    removeTokenFile(file)
    expect(existsSync(join(runnerTemp, 'mine'))).toBe(true)
  })
})

describe('parseHandoffInputs', () => {
  const parse = (
    inputs: Record<string, string>,
    tokenType: 'installation' | 'runner-jit' = 'installation'
  ) =>
    parseHandoffInputs({
      read: (name) => inputs[name] ?? '',
      readBoolean: (name) => inputs[name] === 'true',
      tokenType
    })

  test('defaults: nothing handed off', () => {
    expect(parse({})).toEqual({
      tokenFile: undefined,
      refresh: false,
      exportEnv: [],
      gitCredentials: false,
      botIdentity: false,
      rateLimit: false
    })
  })

  test('export-env: names, comma or newline separated, deduplicated', () => {
    expect(parse({ 'export-env': 'GH_TOKEN, GITHUB_TOKEN\nGH_TOKEN' }).exportEnv).toEqual([
      'GH_TOKEN',
      'GITHUB_TOKEN'
    ])
  })

  test.each([
    [
      '1TOKEN',
      "Input 'export-env' has '1TOKEN', which is not a variable name; expected names like GH_TOKEN (letters, digits and '_', not starting with a digit), separated by commas or newlines."
    ],
    [
      'GH-TOKEN',
      "Input 'export-env' has 'GH-TOKEN', which is not a variable name; expected names like GH_TOKEN (letters, digits and '_', not starting with a digit), separated by commas or newlines."
    ],
    ...(
      [
        ['NODE_OPTIONS', 'Node or npm'],
        ['NODE_EXTRA_CA_CERTS', 'Node or npm'],
        ['npm_config_script_shell', 'Node or npm'],
        ['GITHUB_ENV', 'the runner'],
        ['STATE_token', 'the runner'],
        ['GIT_ASKPASS', 'git'],
        ['GIT_SSH_COMMAND', 'git'],
        ['git_config_global', 'git'],
        ['LD_PRELOAD', 'the dynamic linker'],
        ['GLIBC_TUNABLES', 'the dynamic linker'],
        ['BASH_ENV', 'the shell'],
        ['ENV', 'the shell'],
        ['PS4', 'the shell'],
        ['Path', 'the shell'],
        ['HTTPS_PROXY', 'curl, OpenSSL and HTTP clients'],
        ['https_proxy', 'curl, OpenSSL and HTTP clients'],
        ['SSL_CERT_FILE', 'curl, OpenSSL and HTTP clients'],
        ['GH_HOST', 'gh'],
        ['PYTHONSTARTUP', 'Python, Perl, Ruby or Java'],
        ['JAVA_TOOL_OPTIONS', 'Python, Perl, Ruby or Java']
      ] as const
    ).map(([name, who]) => [
      name,
      `Input 'export-env' has '${name}', a variable read by ${who} that changes how it runs; choose another name, e.g. GH_TOKEN or GITHUB_TOKEN.`
    ])
  ])('export-env %s is refused', (name, message) => {
    expect(() => parse({ 'export-env': name })).toThrow(message)
  })

  test('export-env: the names tools read a token from are accepted', () => {
    const names = ['GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN']
    expect(
      parse({ 'export-env': [...names, 'MY_TOKEN', 'GITLAB_TOKEN'].join(',') }).exportEnv
    ).toEqual([...names, 'MY_TOKEN', 'GITLAB_TOKEN'])
  })

  test('token-refresh needs token-file and an installation token', () => {
    const message =
      "Input 'token-refresh' needs 'token-file' and 'token-type: installation': refreshed tokens are written to the token file, and only installation tokens can be minted again."
    expect(() => parse({ 'token-refresh': 'true' })).toThrow(message)
    expect(() => parse({ 'token-refresh': 'true', 'token-file': 'true' }, 'runner-jit')).toThrow(
      message
    )
    expect(parse({ 'token-refresh': 'true', 'token-file': 'true' }).refresh).toBe(true)
  })

  test('git-credentials, bot-identity and rate-limit are for installation tokens only', () => {
    expect(() => parse({ 'git-credentials': 'true' }, 'runner-jit')).toThrow(
      "Input 'git-credentials' applies to 'token-type: installation' only; a runner-jit credential is not an installation token."
    )
  })
})

describe('writeTokenFile: RUNNER_TEMP inside the workspace', () => {
  test("'true' is refused rather than writing into the workspace", () => {
    const workspace = mkdtempSync(join(tmpdir(), 'mint-token-ws-'))
    const runnerTemp = join(workspace, '_temp')
    mkdirSync(runnerTemp)
    expect(() => writeTokenFile({ kind: 'temp' }, SECRET, { runnerTemp, workspace })).toThrow(
      "Input 'token-file' is 'true', which would put the file under RUNNER_TEMP, but RUNNER_TEMP is inside GITHUB_WORKSPACE, where credentials must never be written; give a path outside the workspace."
    )
  })
})
