import { generateKeyPairSync } from 'node:crypto'
import type { RunInfo } from '../src/context.js'
import { parseInputs } from '../src/inputs.js'
import { parseTarget } from '../src/inputs/parse-target.js'
import { testContext } from './harness/test-context.js'

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
    expect(parse({ 'client-id': 'Iv23abc' }).app.appId).toBe('Iv23abc')
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
    expect(inputs.app.privateKey.export({ type: 'pkcs1', format: 'pem' })).toBe(pem)
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
