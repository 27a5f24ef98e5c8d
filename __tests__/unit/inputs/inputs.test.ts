import { execFileSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunInfo } from '../../../src/lib/seam/deps.js'
import { parseInputs } from '../../../src/action/inputs/parse-inputs.js'
import { parseApiUrl, plainHttpWarning } from '../../../src/action/inputs/parse-api-url.js'
import { parseTarget } from '../../../src/action/inputs/parse-target.js'
import { quoteInput } from '../../../src/lib/text/quote-input.js'
import { readKeyFile } from '../../../src/lib/key/read-key-file.js'
import { testContext } from '../../harness/test-context.js'
import type { AppCredentials } from '../../../src/lib/requests.js'

/** The key a request carries (these inputs always give one). */
const keyOf = (app: AppCredentials | undefined) => {
  if (!app || !('privateKey' in app)) throw new Error('no key')
  return app.privateKey
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
const parse = (
  inputs: Record<string, string>,
  run: Partial<RunInfo> = {},
  files: Record<string, string> = {}
) =>
  parseInputs(
    testContext({ inputs: { 'app-id': '1', 'private-key': pem, ...inputs }, run, files }).ctx
  )

describe('inputs: target defaults (as actions/create-github-app-token)', () => {
  test.each([
    ['neither → this repository', '', '', { owner: 'octo-org', repositories: ['app'] }],
    ['owner only → every repository', 'other', '', { owner: 'other' }],
    ['repositories only → this owner', '', 'a\nb', { owner: 'octo-org', repositories: ['a', 'b'] }],
    [
      'owner/name entries and duplicates',
      'octo-org',
      'octo-org/a, A,b',
      { owner: 'octo-org', repositories: ['a', 'b'] }
    ]
  ])('%s', (_name, owner, repositories, expected) => {
    expect(parseTarget(owner, repositories, 'octo-org/app')).toEqual(expected)
  })

  test('more than 500 repositories', () => {
    const many = Array.from({ length: 501 }, (_, i) => `r${i}`).join(',')
    expect(() => parseTarget('o', many)).toThrow(
      "Input 'repositories' lists 501 repositories; GitHub accepts at most 500. Leave it empty to cover every repository of 'o'."
    )
  })

  test('no owner and no GITHUB_REPOSITORY', () => {
    expect(() => parseTarget('', '', undefined)).toThrow(
      "Input 'owner' is empty and GITHUB_REPOSITORY is not set, so there is no repository to default to. Set 'owner'."
    )
  })

  test('a malformed repository entry', () => {
    expect(() => parseTarget('o', 'a/b/c')).toThrow(
      "Input 'repositories' has an entry 'a/b/c' that is not 'name' or 'owner/name'."
    )
  })
})

describe('inputs: credentials', () => {
  test("'client-id' wins over 'app-id'", () => {
    expect(parse({ 'client-id': 'Iv23abc' }).app!.appId).toBe('Iv23abc')
  })

  test('a non-numeric app-id', () => {
    expect(() => parse({ 'app-id': 'Iv23abc' })).toThrow(
      "Input 'app-id' is 'Iv23abc', but an App ID is a number. For a Client ID (Iv…), use 'client-id'."
    )
  })

  test('both private-key and private-key-file', () => {
    expect(() => parse({ 'private-key-file': '/k.pem' })).toThrow(
      "Both 'private-key' and 'private-key-file' are set; set exactly one."
    )
  })

  test('an unreadable private-key-file', () => {
    expect(() => parse({ 'private-key': '', 'private-key-file': '/missing.pem' })).toThrow(
      "Input 'private-key-file' is '/missing.pem', which cannot be read (ENOENT). Expected a path to the App's .pem file."
    )
  })

  test('private-key-file is read and normalised', () => {
    const inputs = parse({ 'private-key': '', 'private-key-file': '/k.pem' }, {}, { '/k.pem': pem })
    expect(keyOf(inputs.app).export({ type: 'pkcs1', format: 'pem' })).toBe(pem)
  })

  test('installation-id must be a positive number', () => {
    expect(() => parse({ 'installation-id': '12a' })).toThrow(
      "Input 'installation-id' is '12a', but an installation ID is a positive number."
    )
    expect(parse({ 'installation-id': ' 42 ' }).installationId).toBe(42)
  })

  test('github-api-url: trailing slash dropped, non-URL refused', () => {
    expect(parse({ 'github-api-url': 'https://ghes.example/api/v3/' }).apiUrl).toBe(
      'https://ghes.example/api/v3'
    )
    expect(() => parse({ 'github-api-url': 'ghes.example' })).toThrow(
      "Input 'github-api-url' is 'ghes.example', which is not an http(s) URL. Expected e.g. https://api.github.com or https://HOST/api/v3."
    )
  })
})

describe('inputs: runner types', () => {
  test('runner-url comes from the server URL, or is derived for another API URL', () => {
    const run = { serverUrl: 'https://github.com', apiUrl: 'https://api.github.com' }
    const own = parse(
      { 'token-type': 'runner-registration', 'github-api-url': 'https://api.github.com' },
      run
    )
    expect(own.tokenType === 'runner-registration' && own.runnerUrl).toBe(
      'https://github.com/octo-org/app'
    )
    const ghes = parse(
      {
        'token-type': 'runner-registration',
        owner: 'o',
        'github-api-url': 'https://ghes.example/api/v3'
      },
      run
    )
    expect(ghes.tokenType === 'runner-registration' && ghes.runnerUrl).toBe(
      'https://ghes.example/o'
    )
  })

  test('jit settings: defaults and a generated-name prefix', () => {
    const inputs = parse(
      { 'token-type': 'runner-jit', owner: 'o', 'runner-labels': 'a\nb,a' },
      { runId: '7' }
    )
    expect(inputs.tokenType === 'runner-jit' && inputs.jit).toEqual({
      labels: ['a', 'b'],
      group: undefined,
      name: undefined,
      namePrefix: 'mint-token',
      workFolder: '_work',
      cleanup: 'never'
    })
  })

  test('a group name for a repository runner is refused', () => {
    expect(() =>
      parse({ 'token-type': 'runner-jit', 'runner-labels': 'x', 'runner-group': 'gpu' })
    ).toThrow(
      "Input 'runner-group' is 'gpu', but runner groups belong to organizations; a repository runner joins group 1. Leave it empty, or register at the organization level."
    )
  })

  test('runner-cleanup must be one of three', () => {
    expect(() =>
      parse({
        'token-type': 'runner-jit',
        owner: 'o',
        'runner-labels': 'x',
        'runner-cleanup': 'sometimes'
      })
    ).toThrow("Input 'runner-cleanup' is 'sometimes'; expected one of: never, if-unused, always.")
  })
})

describe('inputs: token-format', () => {
  const format = (inputs: Record<string, string>) => {
    const request = parse(inputs)
    return request.tokenType === 'installation' ? request.tokenFormat : 'not an installation'
  }

  test("empty is GitHub's default (no header); stateless and classic, trimmed", () => {
    expect(format({})).toBeUndefined()
    expect(format({ 'token-format': ' ' })).toBeUndefined()
    expect(format({ 'token-format': 'stateless' })).toBe('stateless')
    expect(format({ 'token-format': ' classic\n' })).toBe('classic')
  })

  test.each(['enabled', 'Classic', 'jwt'])(
    '%s is refused, naming the input and the values',
    (value) => {
      expect(() => parse({ 'token-format': value })).toThrow(
        `Input 'token-format' is '${value}'; expected stateless (a JWT of about 520 characters) or classic (40 characters), or empty for GitHub's default.`
      )
    }
  )

  test('a token pasted into it is not echoed', () => {
    expect(() => parse({ 'token-format': `ghs_${'a'.repeat(36)}` })).toThrow(
      "Input 'token-format' is (a value that looks like a key or token; not shown); expected"
    )
  })

  test.each(['runner-registration', 'runner-jit'])('refused for %s', (tokenType) => {
    expect(() =>
      parse({
        'token-type': tokenType,
        owner: 'o',
        'runner-labels': 'x',
        'token-format': 'classic'
      })
    ).toThrow(
      `Input 'token-format' applies to 'token-type: installation' only; a ${tokenType} credential is not an installation token. Remove 'token-format'.`
    )
  })
})

describe('inputs: github-api-url (issue 8)', () => {
  const refused = (part: string, fixed: string) =>
    `Input 'github-api-url' has ${part}, which is not allowed in the API's base URL. Remove it: '${fixed}'.`
  const userinfo = "a user name or password ('user:password@' before the host)"

  test.each([
    ['user and password', 'https://me:s3cret@ghes.example/api/v3', 'https://ghes.example/api/v3'],
    ['a user only', 'https://s3cret@ghes.example', 'https://ghes.example'],
    ['an empty user', 'https://:s3cret@ghes.example', 'https://ghes.example'],
    ['no scheme', 'me:s3cret@ghes.example/api/v3', 'ghes.example'],
    ['backslashes, as URL reads them', 'https:\\\\me:s3cret@ghes.example', 'https://ghes.example']
  ])('userinfo (%s) is refused and the password never shown', (_name, url, fixed) => {
    expect(() => parseApiUrl(url)).toThrow(refused(userinfo, fixed))
  })

  test('a query string and a fragment are refused', () => {
    expect(() => parseApiUrl('https://ghes.example/api/v3/?token=ghs_abc')).toThrow(
      refused("a query string ('?…')", 'https://ghes.example/api/v3')
    )
    expect(() => parseApiUrl('https://ghes.example/api/v3#top?x')).toThrow(
      refused("a fragment ('#…')", 'https://ghes.example/api/v3')
    )
  })

  test('trailing slashes are trimmed in linear time, even after a long run of slashes', () => {
    const slashes = '/'.repeat(100_000)
    const started = performance.now()
    expect(parseApiUrl(`https://ghes.example${slashes}x${slashes}`)).toBe(
      `https://ghes.example${slashes}x`
    )
    // ≈4 ms here; a backtracking trim over 200,000 slashes would take minutes.
    expect(performance.now() - started).toBeLessThan(2_000)
  })

  test('whitespace inside the URL is refused (URL would drop it silently)', () => {
    expect(() => parseApiUrl('https://ghes.exa\nmple')).toThrow(
      "Input 'github-api-url' is 'https://ghes.exa mple', which is not an http(s) URL."
    )
  })

  test.each([
    'http://127.0.0.1:8080',
    'http://127.9.9.9',
    'http://127.1',
    'http://[::1]:3000/api/v3',
    'http://localhost',
    'http://LOCALHOST:1',
    'https://ghes.example'
  ])('%s: no warning', (url) => {
    expect(plainHttpWarning(parseApiUrl(url))).toBeUndefined()
  })

  test.each(['http://ghes.example/api/v3', 'http://10.0.0.1', 'http://[::2]', 'http://128.0.0.1'])(
    '%s: plain http to another host warns',
    (url) => {
      expect(plainHttpWarning(url)).toBe(
        `Input 'github-api-url' is '${url}': plain http:// to a host that is not this machine, so the App's JWT and the tokens it mints cross the network unencrypted. Use https://.`
      )
    }
  )

  test('parseInputs warns once, through core.warning', () => {
    const { ctx, events } = testContext({
      inputs: { 'app-id': '1', 'private-key': pem, 'github-api-url': 'http://ghes.example' }
    })
    parseInputs(ctx)
    expect(events.filter((e) => e.kind === 'warning')).toHaveLength(1)
  })
})

describe('inputs: IDs are positive safe integers (issue 8)', () => {
  const tooLarge = (value: string) =>
    `Input 'installation-id' is '${value}', but an installation ID is a whole number from 1 to 9007199254740991, without leading zeros.`

  test('installation-id: 2^53 − 1 is the largest', () => {
    expect(parse({ 'installation-id': '9007199254740991' }).installationId).toBe(
      Number.MAX_SAFE_INTEGER
    )
    for (const value of [
      '9007199254740992',
      '9007199254740993',
      '99999999999999999999',
      '0',
      '007'
    ]) {
      expect(() => parse({ 'installation-id': value })).toThrow(tooLarge(value))
    }
  })

  test.each([
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
    ['7', 7],
    ['gpu', 'gpu']
  ])('runner-group %s is accepted', (group, expected) => {
    const inputs = parse({
      'token-type': 'runner-jit',
      owner: 'o',
      'runner-labels': 'x',
      'runner-group': group
    })
    expect(inputs.tokenType === 'runner-jit' && inputs.jit.group).toBe(expected)
  })

  test.each(['9007199254740992', '0', '01'])('runner-group %s is refused', (group) => {
    expect(() =>
      parse({ 'token-type': 'runner-jit', owner: 'o', 'runner-labels': 'x', 'runner-group': group })
    ).toThrow(
      `Input 'runner-group' is '${group}', but a runner group ID is a whole number from 1 to 9007199254740991, without leading zeros. Pass the group's ID or its name.`
    )
  })
})

describe('inputs: runner-work-folder and repository names (issue 8)', () => {
  const jit = (folder: string) =>
    parse({
      'token-type': 'runner-jit',
      owner: 'o',
      'runner-labels': 'x',
      'runner-work-folder': folder
    })

  test.each(['_work', 'work/sub', 'a..b', '.work', './work'])('%s is accepted', (folder) => {
    const inputs = jit(folder)
    expect(inputs.tokenType === 'runner-jit' && inputs.jit.workFolder).toBe(folder)
  })

  test.each([
    ['/abs', '/abs', 'is an absolute path'],
    ['\\\\server\\share', '\\\\server\\share', 'is an absolute path'],
    ['C:\\work', 'C:\\work', 'is an absolute path'],
    ['..', '..', "has a '..' segment"],
    ['a\\..\\b', 'a\\..\\b', "has a '..' segment"],
    ['a\u0007b', 'a b', 'contains a control character'],
    ['a\u009bb', 'a b', 'contains a control character']
  ])('%j is refused', (folder, shown, problem) => {
    expect(() => jit(folder)).toThrow(
      `Input 'runner-work-folder' is '${shown}', which ${problem}; expected a folder inside the runner's directory, relative to it (e.g. '_work').`
    )
  })

  test.each(['.', '..', 'o/.', 'o/..'])("repository '%s' is refused", (entry) => {
    expect(() => parseTarget('o', entry)).toThrow(
      `Input 'repositories' has an entry '${entry}', but '${entry.replace('o/', '')}' is not a repository name.`
    )
  })

  test('names that merely contain dots are fine', () => {
    expect(parseTarget('o', '.github, a..b, ...')).toEqual({
      owner: 'o',
      repositories: ['.github', 'a..b', '...']
    })
  })
})

describe('inputs: an echoed value is capped, and a key or token is never echoed (issue 8)', () => {
  const hidden = '(a value that looks like a key or token; not shown)'

  test.each([
    ['a PEM block', pem],
    ['a BEGIN line', '-----BEGIN OPENSSH PRIVATE KEY-----'],
    ['an installation token', 'ghs_16C7e42F292c6912E7710c838347Ae178B4a'],
    ['a stateless installation token', `ghs_${'a1B2.c3_D4-'.repeat(40)}`],
    ['a personal access token', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'],
    ['an OAuth token', 'gho_16C7e42F292c6912E7710c838347Ae178B4a'],
    ['a user-to-server token', 'ghu_16C7e42F292c6912E7710c838347Ae178B4a'],
    ['a refresh token', 'ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c'],
    ['a fine-grained PAT', 'github_pat_11ABCDEFG0_abcdefghijklmnop'],
    ['a JWT', 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2ln'],
    ['a client secret', 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12'],
    ['a token inside other text', 'owner=ghs_abc']
  ])('quoteInput hides %s', (_name, value) => {
    expect(quoteInput(value)).toBe(hidden)
  })

  test('quoteInput quotes other text on one line, capped at 300 characters', () => {
    expect(quoteInput('octo-org')).toBe("'octo-org'")
    expect(quoteInput(`a\r\n::error::b${'x'.repeat(500)}`)).toBe(
      `'a  ::error::b${'x'.repeat(299 - 13)}…'`
    )
  })

  test.each([
    ['app-id', { 'app-id': 'ghs_16C7e42F292c6912E7710c838347Ae178B4a' }],
    ['token-type', { 'token-type': pem }],
    ['summary', { summary: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a' }],
    ['owner', { owner: 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2ln' }],
    ['repositories', { repositories: 'github_pat_11ABCDEFG0_abcdefghijklmnop/x' }],
    ['installation-id', { 'installation-id': 'ghs_1' }],
    ['private-key-file', { 'private-key': '', 'private-key-file': '/tmp/ghs_missing.pem' }],
    ['github-api-url', { 'github-api-url': 'ghs_16C7e42F292c6912E7710c838347Ae178B4a' }]
  ])('%s: the refusal hides a token-shaped value', (_name, inputs) => {
    expect(() => parse(inputs)).toThrow(hidden)
  })

  test.each([
    ['runner-group', 'ghs_x y'],
    ['runner-name', 'ghs_x y'],
    ['runner-name-prefix', 'ghs_x y'],
    ['runner-work-folder', '/ghs_x'],
    ['runner-cleanup', 'ghs_x']
  ])('%s: the refusal hides a token-shaped value', (input, value) => {
    expect(() =>
      parse({ 'token-type': 'runner-jit', 'runner-labels': 'x', [input]: value })
    ).toThrow(hidden)
  })
})

describe('inputs: private-key-file is a regular file, read with a bound (issue 8)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mint-token-key-'))
  const fromFile = (path: string) => parse({ 'private-key': '', 'private-key-file': path })
  const refusal = (path: string, what: string) =>
    `Input 'private-key-file' is '${path}', which ${what}. Expected a path to the App's .pem file.`

  test('a real file is read', () => {
    const path = join(dir, 'app.pem')
    writeFileSync(path, pem)
    expect(keyOf(fromFile(path).app).export({ type: 'pkcs1', format: 'pem' })).toBe(pem)
  })

  test('a directory is refused', () => {
    expect(() => fromFile(dir)).toThrow(refusal(dir, 'is a directory, not a file'))
  })

  test('a FIFO with no writer is refused without blocking', () => {
    const fifo = join(dir, 'fifo.pem')
    execFileSync('mkfifo', [fifo])
    expect(() => fromFile(fifo)).toThrow(
      refusal(fifo, 'is a FIFO (named pipe), not a regular file')
    )
  })

  test('/dev/zero and /dev/null are refused', () => {
    for (const device of ['/dev/zero', '/dev/null']) {
      expect(() => fromFile(device)).toThrow(
        refusal(device, 'is a character device, not a regular file')
      )
    }
  })

  test('a 4 MB file is refused as too large', () => {
    const path = join(dir, 'big.pem')
    writeFileSync(path, Buffer.alloc(4 * 1024 * 1024, 'A'))
    const error: unknown = (() => {
      try {
        return readKeyFile(path)
      } catch (thrown) {
        return thrown
      }
    })()
    expect(error).toMatchObject({ code: 'EFBIG' })
    expect(() => fromFile(path)).toThrow(
      /^The file named by input 'private-key-file' is larger than 64 KB/
    )
  })

  test('a symbolic link to the key is followed (mounted secrets often are links)', () => {
    const link = join(dir, 'link.pem')
    symlinkSync(join(dir, 'app.pem'), link)
    expect(keyOf(fromFile(link).app).asymmetricKeyType).toBe('rsa')
  })
})
