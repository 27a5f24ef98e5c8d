import { parsePruneRequest } from '../../../src/lib/parse/prune-request.js'

/** The action.yml defaults, as the runner would pass them. */
const DEFAULTS: Record<string, string> = {
  'runner-name-prefix': 'mint-token',
  'older-than': '1h',
  'include-unknown-age': 'false',
  'dry-run': 'false'
}

const parse = (inputs: Record<string, string>, currentRepository = 'octo-org/app') => {
  const all = { ...DEFAULTS, ...inputs }
  return parsePruneRequest({
    read: (name) => all[name] ?? '',
    readBoolean: (name) => all[name] === 'true',
    currentRepository
  })
}

describe('prune inputs', () => {
  test('defaults: this repository, prefix mint-token, older than 1h', () => {
    expect(parse({})).toEqual({
      kind: 'selection',
      target: { owner: 'octo-org', repositories: ['app'] },
      scope: { kind: 'repo', owner: 'octo-org', repo: 'app' },
      dryRun: false,
      selection: {
        prefix: 'mint-token',
        labels: [],
        olderThanMs: 3_600_000,
        includeUnknownAge: false
      }
    })
  })

  test('an organization, labels, booleans', () => {
    const inputs = parse({
      owner: 'octo-org',
      'runner-name-prefix': ' ci.gpu_1 ',
      'runner-labels': 'self-hosted, gpu\nGPU,,linux',
      'older-than': '30m',
      'include-unknown-age': 'true',
      'dry-run': 'true'
    })
    expect(inputs).toEqual({
      kind: 'selection',
      target: { owner: 'octo-org' },
      scope: { kind: 'org', org: 'octo-org' },
      dryRun: true,
      selection: {
        prefix: 'ci.gpu_1',
        labels: ['self-hosted', 'gpu', 'linux'],
        olderThanMs: 1_800_000,
        includeUnknownAge: true
      }
    })
  })

  test.each([
    ['runner-id', ' 17 ', { by: 'id', id: 17 }],
    [
      'runner-name',
      'mint-token-toysk0-1-1-abcdef',
      { by: 'name', name: 'mint-token-toysk0-1-1-abcdef' }
    ]
  ])('%s names exactly one runner', (input, value, runner) => {
    expect(parse({ owner: 'octo-org', [input]: value })).toEqual({
      kind: 'explicit',
      target: { owner: 'octo-org' },
      scope: { kind: 'org', org: 'octo-org' },
      dryRun: false,
      runner
    })
  })

  test.each([
    [
      'an empty prefix',
      { 'runner-name-prefix': '  ' },
      "Input 'runner-name-prefix' is empty; expected the prefix of the runner names to prune (e.g. 'mint-token'). It can't be empty: only runners whose name starts with it are ever touched."
    ],
    [
      'a prefix with a space',
      { 'runner-name-prefix': 'my runner' },
      "Input 'runner-name-prefix' is 'my runner'; expected up to 32 letters, digits, '.', '_' or '-'."
    ],
    [
      'a prefix too long for the generator, which would have to shorten it',
      { 'runner-name-prefix': 'x'.repeat(33) },
      `Input 'runner-name-prefix' is '${'x'.repeat(33)}'; expected up to 32 letters, digits, '.', '_' or '-'.`
    ],
    [
      'a bad older-than',
      { 'older-than': '1 hour' },
      "Input 'older-than' is '1 hour'; expected a positive whole number and a unit, s, m, h, d or w (e.g. '30m', '2h', '1d')."
    ],
    [
      'both runner-id and runner-name',
      { 'runner-id': '5', 'runner-name': 'r' },
      "Inputs 'runner-id' ('5') and 'runner-name' ('r') are both set; set one of them to remove that runner, or neither to prune by 'runner-name-prefix' and 'older-than'."
    ],
    [
      'a runner-id that is not a positive number',
      { 'runner-id': '0' },
      "Input 'runner-id' is '0'; expected a runner's ID, a positive whole number (Settings → Actions → Runners, or the 'runner-id' output of mint-token)."
    ],
    [
      'a runner-id beyond a safe integer',
      { 'runner-id': '90071992547409930' },
      "Input 'runner-id' is '90071992547409930'; expected a runner's ID, a positive whole number (Settings → Actions → Runners, or the 'runner-id' output of mint-token)."
    ],
    [
      'a runner-name with a slash',
      { 'runner-name': 'a/b' },
      "Input 'runner-name' is 'a/b'; expected up to 64 letters, digits, '.', '_' or '-'."
    ],
    [
      'two repositories',
      { owner: 'octo-org', repositories: 'app, docs' },
      "Input 'repositories' lists 2 repositories, but a runner registers with one repository or one organization. Name one repository, or none for the organization 'octo-org'."
    ]
  ])('refuses %s', (_case, inputs, message) => {
    expect(() => parse(inputs)).toThrow(message)
  })

  test('refuses an enterprise owner', () => {
    expect(() => parse({ owner: 'enterprises/acme' })).toThrow(
      "Input 'owner' names an enterprise, but enterprise-level runners can't be managed with a GitHub App"
    )
  })
})
