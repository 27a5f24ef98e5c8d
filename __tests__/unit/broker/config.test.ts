import { generateKeyPairSync } from 'node:crypto'
import { loadBrokerConfig } from '../../../src/broker/config.js'

/** broker.yaml's checks: each error names the file, the line and the setting's path. */
const KEY = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString()

const VALID = `app:
  app-id: 123
  private-key-env: APP_KEY
audience: https://broker.example
issuers:
  - https://token.actions.githubusercontent.com
policies:
  - name: ci
    match:
      repository_owner: octo-org
      ref: [refs/heads/main, refs/heads/release]
      job_workflow_ref: { pattern: 'octo-org/app/\\.github/workflows/[a-z]+\\.yml@.*' }
    grant:
      kind: installation
      owner: octo-org
      repositories: $repository
      permissions:
        contents: write
  - name: runners
    match:
      repository_owner: octo-org
    grant:
      kind: runner-jit
      owner: octo-org
      labels: [self-hosted, linux]
`

const load = (text: string, env: Record<string, string> = { APP_KEY: KEY }) =>
  loadBrokerConfig('/etc/broker.yaml', {
    readFile: () => text,
    readKeyFile: () => KEY,
    env,
    log: { mask: () => {} }
  })

test('a valid config: defaults, a database next to the file, matchers', () => {
  const config = load(VALID)
  expect(config).toMatchObject({
    app: { appId: '123' },
    apiUrl: 'https://api.github.com',
    database: 'sqlite:/etc/mint-token-broker.db',
    issuers: ['https://token.actions.githubusercontent.com']
  })
  const [ci, runners] = config.policies
  expect(ci!.grant).toEqual({
    kind: 'installation',
    owner: 'octo-org',
    repositories: '$repository',
    permissions: { contents: 'write' }
  })
  const pattern = ci!.match.find((m) => m.claim === 'job_workflow_ref')!
  expect(pattern.test('octo-org/app/.github/workflows/ci.yml@refs/heads/main')).toBe(true)
  // Anchored: a pattern never matches inside a longer value.
  expect(pattern.test('evil/octo-org/app/.github/workflows/ci.yml@x')).toBe(false)
  expect(ci!.match.find((m) => m.claim === 'ref')!.test('refs/heads/release')).toBe(true)
  expect(runners!.grant).toMatchObject({ kind: 'runner-jit', labels: ['self-hosted', 'linux'] })
})

test.each([
  [
    VALID.replace('contents: write', 'contents: sudo'),
    '/etc/broker.yaml:18: policies[0].grant.permissions.contents must be one of: read, write, admin.'
  ],
  [
    VALID.replace('contents: write', 'contnets: write'),
    "/etc/broker.yaml:18: policies[0].grant.permissions names an unknown permission 'contnets'. Did you mean 'contents'?"
  ],
  [
    VALID.replace('      labels: [self-hosted, linux]\n', ''),
    "/etc/broker.yaml:23: policies[1].grant has no 'labels': a runner-jit grant names the labels its runners get."
  ],
  [
    VALID.replace('      repositories: $repository\n', '      labels: [x]\n'),
    "/etc/broker.yaml:16: policies[0].grant.labels is not a setting of a 'installation' grant (it takes repositories, permissions)."
  ],
  [
    VALID.replace("{ pattern: 'octo-org", "{ pattern: '(octo-org"),
    '/etc/broker.yaml:12: policies[0].match.job_workflow_ref.pattern is not a valid regular expression'
  ],
  [VALID.replace('audience: https://broker.example\n', ''), "(top level) needs 'audience'."],
  [
    VALID.replace('  - name: runners', '  - name: ci'),
    "policies[1].name is 'ci', the name of an earlier policy."
  ],
  [
    VALID.replace('app-id: 123', 'app-id: abc'),
    '/etc/broker.yaml:2: app.app-id does not have the expected form'
  ],
  [VALID + 'extra: 1\n', "(top level) has an unknown setting 'extra'."],
  ['app: [', '/etc/broker.yaml:1: not valid YAML']
])('refused: %#', (text, message) => {
  expect(() => load(text)).toThrow(message)
})

test('the key: a variable that is not set is named, and the key never shows', () => {
  expect(() => load(VALID, {})).toThrow(/The environment variable APP_KEY \(app.private-key-env\)/)
  let message = ''
  try {
    load(VALID, { APP_KEY: KEY.slice(0, 200) })
  } catch (error) {
    message = (error as Error).message
  }
  expect(message).toMatch(
    /^\/etc\/broker.yaml:2: app: The environment variable APP_KEY \(app.private-key-env\) looks like a PEM private key but is truncated/
  )
  expect(message).not.toContain(KEY.split('\n')[1]!)
})

test("README's broker.yaml examples load", async () => {
  const { readFileSync } = await import('node:fs')
  const { brokerConfigBlocks, ROOT } = await import('../../metadata/workflow-checks.js')
  const blocks = brokerConfigBlocks(readFileSync(`${ROOT}/README.md`, 'utf8'))
  expect(blocks.length).toBeGreaterThan(0)
  for (const block of blocks) {
    const config = load(block.text)
    expect(config.policies.length).toBeGreaterThan(0)
  }
})

test('an issuer over plain http is refused unless it is local', () => {
  expect(() =>
    load(VALID.replace('https://token.actions.githubusercontent.com', 'http://issuer.example'))
  ).toThrow(
    "/etc/broker.yaml:6: issuers[0] is 'http://issuer.example'; an issuer's keys must come over https://."
  )
})
