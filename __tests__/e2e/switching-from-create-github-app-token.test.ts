import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseDocument } from 'yaml'
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js'
import { expectRefused, newJob, runAction, runStep } from '../harness/run-action.js'
import {
  OFFICIAL_INPUTS,
  OFFICIAL_OUTPUTS,
  OFFICIAL_PERMISSION_INPUTS,
  README_WORKFLOWS,
  SOURCE,
  type ReadmeWorkflow
} from '../fixtures/create-github-app-token.js'
import { ROOT, workflowProblems } from '../metadata/workflow-checks.js'

/**
 * Switching from actions/create-github-app-token by changing only the `uses:` line. Every
 * workflow of its README (fixtures/create-github-app-token.ts) runs through the runner emulator
 * (harness/run-action.ts) against the fake API, and the token mint-token asks GitHub for (the
 * installation looked up, the repositories and permissions in the mint request's body) must be
 * the one the official action would have asked for.
 */

const USES = 'my-org/mint-token@v1'
const REPOSITORY = 'octo-org/app'
const GRANTS = { contents: 'write', issues: 'write', metadata: 'read' } as const

interface Asked {
  lookup: string
  body: { repositories?: string[]; permissions?: Record<string, string> }
}

/**
 * What the official action sends for these inputs, from its source at SOURCE.commit: lib/main.js
 * picks the installation and repositories (neither owner nor repositories: this repository;
 * owner only: every repository, looked up by account; repositories: looked up by the first one,
 * the owner defaulting to this repository's), and lib/get-permissions-from-inputs.js turns each
 * non-empty `permission-<name>` into `<name with _>: value`. @octokit/auth-app then posts
 * `repositories` and `permissions` only when given.
 */
function officialAsks(inputs: Record<string, string>): Asked {
  const [thisOwner, thisRepo] = REPOSITORY.split('/') as [string, string]
  const names = (inputs.repositories ?? '')
    .split(/[\n,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
  const owner = inputs.owner || thisOwner
  const repositories = !inputs.owner && names.length === 0 ? [thisRepo] : names
  const permissions = Object.fromEntries(
    Object.entries(inputs)
      .filter(([name, value]) => name.startsWith('permission-') && value)
      .map(([name, value]) => [name.slice('permission-'.length).replaceAll('-', '_'), value])
  )
  return {
    lookup:
      repositories.length > 0
        ? `GET /repos/${owner}/${repositories[0]}/installation`
        : `GET /users/${owner}/installation`,
    body: {
      ...(repositories.length > 0 ? { repositories } : {}),
      ...(Object.keys(permissions).length > 0 ? { permissions } : {})
    }
  }
}

/** The README's `${{ }}` expressions: context paths and join(), as the runner evaluates them. */
function evaluate(text: string, contexts: Record<string, unknown>): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => {
    const join = /^join\((.+)\)$/.exec(expression)
    const value = lookUp(join ? join[1]! : expression, contexts)
    // join() of a missing value is '', as the runner's join(null) is.
    if (join && value === undefined) return ''
    if (join && Array.isArray(value)) return value.join(',')
    if (typeof value !== 'string') throw new Error(`No value for \${{ ${expression} }}`)
    return value
  })
}

function lookUp(path: string, contexts: Record<string, unknown>): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (value, key) => (value as Record<string, unknown> | undefined)?.[key],
      contexts
    )
}

/** The step with only its `uses:` line changed, inside a workflow, as a user would have it. */
function switched(example: ReadmeWorkflow): string {
  const step = example.step.replace(/uses: actions\/create-github-app-token@v3/, `uses: ${USES}`)
  const indented = step.replace(/^(?=.)/gm, '      ')
  return `on: workflow_dispatch\njobs:\n  a:\n    runs-on: ${example.runsOn}\n    steps:\n${indented}`
}

let github: FakeGitHub
let ghes: FakeGitHub

beforeEach(async () => {
  github = await startFakeGitHub()
  ghes = await startFakeGitHub({ pathPrefix: '/api/v3' })
  const accounts: [string, string[]][] = [
    ['octo-org', ['app', 'repo1', 'repo2']],
    ['another-owner', ['tool']],
    ['owner1', ['a', 'b']],
    ['owner2', ['repo1', 'repo3']]
  ]
  for (const [account, repositories] of accounts)
    github.addInstallation({ account, repositories, permissions: { ...GRANTS } })
  ghes.addInstallation({ account: 'octo-ghes', repositories: ['app'], permissions: { ...GRANTS } })
})
afterEach(async () => Promise.all([github.close(), ghes.close()]))

/** The contexts the README's expressions read, pointing at the two fakes. */
function contextsFor(example: ReadmeWorkflow, matrix: Record<string, unknown>) {
  const decodedKey = github.app.privateKey.trimEnd().split('\n').join('\\n')
  const steps = Object.fromEntries(
    Object.entries(example.contexts.steps ?? {}).map(([id, step]) => [
      id,
      { outputs: Object.fromEntries(Object.keys(step.outputs).map((name) => [name, decodedKey])) }
    ])
  )
  return {
    github: { repository: REPOSITORY, repository_owner: 'octo-org', api_url: github.url },
    vars: {
      APP_CLIENT_ID: github.app.clientId,
      GHES_APP_CLIENT_ID: ghes.app.clientId,
      GHES_INSTALLATION_ORG: 'octo-ghes',
      GITHUB_API_URL: ghes.url
    },
    secrets: { APP_PRIVATE_KEY: github.app.privateKey, GHES_APP_PRIVATE_KEY: ghes.app.privateKey },
    matrix,
    steps
  }
}

describe(`the README workflows of ${SOURCE.repository}@${SOURCE.commit.slice(0, 7)}`, () => {
  const cases = README_WORKFLOWS.flatMap((example) =>
    (example.contexts.matrix ?? [{}]).map(
      (row) => [`"${example.heading}" (README.md:${example.line})`, example, row] as const
    )
  )

  test.each(cases)('%s, with only uses: changed', async (name, example, row) => {
    const workflow = switched(example)
    expect(workflowProblems(workflow, name)).toEqual([])
    const step = (parseDocument(workflow).toJS() as { jobs: { a: { steps: StepYaml[] } } }).jobs.a
      .steps[0]!
    const contexts = contextsFor(example, row)
    const inputs = Object.fromEntries(
      Object.entries(step.with).map(([key, value]) => [key, evaluate(value, contexts)])
    )
    const fake = inputs['github-api-url'] === ghes.url ? ghes : github
    const job = newJob(github.url, { ...step.env, GITHUB_REPOSITORY: REPOSITORY })
    const { main, post } = await runAction(job, inputs)
    expect(main.errors).toEqual([])
    expect(main.exitCode).toBe(0)
    const asked = officialAsks(inputs)
    const [lookup, mint] = fake.requests
    expect(`${lookup!.method} ${lookup!.path}`).toBe(asked.lookup)
    expect(mint!.path).toMatch(/^\/app\/installations\/\d+\/access_tokens$/)
    expect(mint!.body ?? {}).toEqual(asked.body)
    for (const output of OFFICIAL_OUTPUTS) expect(main.outputs[output]).toBeTruthy()
    expect(post.exitCode).toBe(0)
    expect(fake.tokens.get(main.outputs.token!)!.revoked).toBe(true)
  })
})

interface StepYaml {
  with: Record<string, string>
  env?: Record<string, string>
}

describe('beyond the README: the inputs a switching workflow may pass', () => {
  const key = () => ({ 'client-id': github.app.clientId, 'private-key': github.app.privateKey })
  const run = (inputs: Record<string, string>) =>
    runAction(newJob(github.url, { GITHUB_REPOSITORY: REPOSITORY }), { ...key(), ...inputs })

  test.each([
    ['neither owner nor repositories', {}],
    ['owner only', { owner: 'owner2' }],
    ['repositories only: the owner defaults to this one', { repositories: 'repo1, repo2' }],
    ['owner and repositories', { owner: 'owner2', repositories: 'repo3\nrepo1' }],
    [
      'permission-contents and permission-issues',
      { 'permission-contents': 'read', 'permission-issues': 'write' }
    ]
  ])('%s: the token asked for is the official one', async (_name, given) => {
    const { main } = await run(given)
    expect(main.exitCode).toBe(0)
    const asked = officialAsks({ ...key(), ...given })
    const [lookup, mint] = github.requests
    expect(`${lookup!.method} ${lookup!.path}`).toBe(asked.lookup)
    expect(mint!.body ?? {}).toEqual(asked.body)
  })

  test.each([
    [
      { permissions: 'contents:read', 'permission-contents': 'write' },
      "Inputs 'permissions' and 'permission-contents' both set 'contents', to 'read' and to 'write'. Keep one."
    ],
    [
      { 'permission-team-discussions': 'write' },
      "Input 'permission-team-discussions' names no permission GitHub lists for Apps. Remove it or fix its name: ignoring it would mint a token without that limit."
    ],
    [
      { revoke: 'false', 'skip-token-revoke': 'false' },
      "Inputs 'revoke: false' and 'skip-token-revoke: false' contradict each other: the first keeps the token, the second revokes it. Keep 'revoke' and remove 'skip-token-revoke'."
    ]
  ])('%j is refused before any request', async (given, message) => {
    const job = newJob(github.url, { GITHUB_REPOSITORY: REPOSITORY })
    expectRefused(await runStep(job, 'main', { ...key(), ...given }), message)
    expect(github.requests).toEqual([])
  })

  test('skip-token-revoke: true leaves the token alive after the post step', async () => {
    const { main, post } = await run({ 'skip-token-revoke': 'true' })
    expect(post.exitCode).toBe(0)
    expect(github.requests.filter((r) => r.method === 'DELETE')).toEqual([])
    expect(github.tokens.get(main.outputs.token!)!.revoked).toBe(false)
  })
})

describe('the official action.yml contract', () => {
  const ours = parseDocument(readFileSync(join(ROOT, 'action.yml'), 'utf8')).toJS() as {
    inputs: Record<string, { default?: string }>
    outputs: Record<string, unknown>
  }

  test('every input it declares is one of ours, but a permission GitHub no longer lists', () => {
    const missing = [...Object.keys(OFFICIAL_INPUTS), ...OFFICIAL_PERMISSION_INPUTS].filter(
      (name) => !(name in ours.inputs)
    )
    // Dropped from @octokit/openapi's app-permissions; passing it is refused (unit/inputs/compat-inputs.test.ts).
    expect(missing).toEqual(['permission-team-discussions'])
  })

  test('its defaults: github-api-url the same; skip-token-revoke unset means false', () => {
    expect(ours.inputs['github-api-url']!.default).toBe(OFFICIAL_INPUTS['github-api-url']!.default)
    expect(ours.inputs['skip-token-revoke']!.default).toBeUndefined()
    expect(ours.inputs.revoke!.default).toBe('true')
  })

  test('every output it declares is one of ours', () => {
    expect(OFFICIAL_OUTPUTS.filter((name) => !(name in ours.outputs))).toEqual([])
  })
})
