import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { assertNoLeaks, jitConfigInnerSecrets } from '../../harness/assert-no-leaks.js'
import {
  exportToJob,
  newJob,
  runAction,
  runStep,
  type Job,
  type StepResult
} from '../../harness/run-action.js'
import { Transcript } from '../../harness/transcript.js'
import { expectAllRevoked } from '../../harness/expect-all-revoked.js'

let fake: FakeGitHub
let job: Job
let installationId: number

beforeEach(async () => {
  fake = await startFakeGitHub()
  installationId = fake.addInstallation({
    account: 'octo-org',
    repositorySelection: 'all',
    repositories: ['app', 'docs'],
    permissions: {
      organization_self_hosted_runners: 'write',
      administration: 'write',
      contents: 'write'
    }
  }).id
  job = newJob(fake.url)
})
afterEach(async () => fake.close())

const app = () => ({ 'app-id': String(fake.app.id), 'private-key': fake.app.privateKey })
const org = (more: Record<string, string> = {}) => ({ ...app(), owner: 'octo-org', ...more })
const jit = (more: Record<string, string> = {}) =>
  org({ 'token-type': 'runner-jit', 'runner-labels': 'self-hosted, linux', ...more })
const mints = () => fake.requests.filter((r) => r.path.endsWith('/access_tokens'))
const posts = (suffix: string) =>
  fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith(suffix))

function expectFailure(step: StepResult, message: string | RegExp) {
  expect(step.exitCode).toBe(1)
  expect(step.errors).toHaveLength(1)
  if (typeof message === 'string') expect(step.errors[0]).toBe(message)
  else expect(step.errors[0]).toMatch(message)
  expect(step.outputs).toEqual({})
  expect(step.state).toEqual({})
}

describe('runner-registration', () => {
  test('organization: least-privileged intermediate token, revoked in main, never output', async () => {
    const transcript = new Transcript(fake, job)
    const inputs = org({ 'token-type': 'runner-registration' })
    const main = transcript.add('main', await runStep(job, 'main', inputs))
    exportToJob(job, main)
    const post = transcript.add('post', await runStep(job, 'post', inputs, main.state))
    expect(mints().map((r) => r.body)).toEqual([
      { permissions: { organization_self_hosted_runners: 'write' } }
    ])
    const intermediate = [...fake.tokens.entries()].find(
      ([, t]) => t.permissions.organization_self_hosted_runners
    )
    expect(intermediate![1].revoked).toBe(true)
    expect(Object.values(main.outputs)).not.toContain(intermediate![0])
    expect(main.outputs.token).toMatch(/^A/)
    // An intermediate token minted for the one permission, used once and revoked in main; the
    // registration token masked and handed on; nothing for post to revoke.
    expect(
      transcript.render({
        '<registration-token>': main.outputs.token!,
        '<intermediate-token>': intermediate![0],
        '<token-hash>': main.outputs['token-hash'] ?? ''
      })
    ).toMatchSnapshot()
    assertNoLeaks(job, [main, post], {
      maskable: [main.outputs.token!, intermediate![0]],
      key: fake.app.privateKey
    })
  })

  test('repository: administration:write scoped to that one repository', async () => {
    const { main } = await runAction(
      job,
      org({ 'token-type': 'runner-registration', repositories: 'docs' })
    )
    expect(main.exitCode).toBe(0)
    expect(mints()[0]!.body).toEqual({
      repositories: ['docs'],
      permissions: { administration: 'write' }
    })
    expect(posts('/registration-token')[0]!.path).toBe(
      '/repos/octo-org/docs/actions/runners/registration-token'
    )
    expect(main.outputs['runner-url']).toBe('https://github.example/octo-org/docs')
  })

  test('installation-id skips the lookup for runner credentials too', async () => {
    const id = String(installationId)
    const { main } = await runAction(
      job,
      org({ 'token-type': 'runner-registration', 'installation-id': id })
    )
    expect(main.exitCode).toBe(0)
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /app/installations/${id}/access_tokens`,
      'POST /orgs/octo-org/actions/runners/registration-token',
      'DELETE /installation/token'
    ])
  })

  test('neither owner nor repositories → this repository', async () => {
    const { main } = await runAction(job, { ...app(), 'token-type': 'runner-registration' })
    expect(main.outputs['runner-url']).toBe('https://github.example/octo-org/app')
  })

  test('more than one repository is refused before any request', async () => {
    const main = await runStep(
      job,
      'main',
      org({ 'token-type': 'runner-registration', repositories: 'app, docs' })
    )
    expectFailure(
      main,
      "Input 'repositories' lists 2 repositories, but a runner registers with one repository or one organization. Name one repository, or none for the organization 'octo-org'."
    )
    expect(fake.requests).toEqual([])
  })

  test('an installation without the permission fails before minting', async () => {
    const other = await startFakeGitHub()
    try {
      other.addInstallation({
        account: 'octo-org',
        repositories: ['app'],
        permissions: { contents: 'read' }
      })
      const inputs = {
        'app-id': String(other.app.id),
        'private-key': other.app.privateKey,
        owner: 'octo-org'
      }
      const main = await runStep(newJob(other.url), 'main', {
        ...inputs,
        'token-type': 'runner-registration'
      })
      expectFailure(main, /organization_self_hosted_runners: write \(installation grants none\)/)
      expect(other.requests.filter((r) => r.path.endsWith('/access_tokens'))).toEqual([])
    } finally {
      await other.close()
    }
  })

  test('enterprise runners are refused with the reason', async () => {
    const main = await runStep(job, 'main', {
      ...app(),
      owner: 'enterprises/acme',
      'token-type': 'runner-registration'
    })
    expectFailure(
      main,
      "Input 'owner' names an enterprise, but enterprise-level runners can't be managed with a GitHub App: GitHub's enterprise runner endpoints refuse App installation tokens. Register the runner with an organization ('owner: ORG') and share it through a runner group."
    )
  })

  test('an unknown token-type lists the three', async () => {
    const main = await runStep(job, 'main', { ...app(), 'token-type': 'runner' })
    expectFailure(
      main,
      "Input 'token-type' is 'runner'; expected one of: installation, runner-registration, runner-jit."
    )
  })
})

describe('runner-jit: registration', () => {
  test('organization, default group: outputs, exact request, every inner secret masked', async () => {
    const { main, post } = await runAction(job, jit())
    expect(main.exitCode).toBe(0)
    const [request] = posts('/generate-jitconfig')
    expect(request!.path).toBe('/orgs/octo-org/actions/runners/generate-jitconfig')
    expect(request!.body).toEqual({
      name: main.outputs['runner-name'],
      runner_group_id: 1,
      labels: ['self-hosted', 'linux'],
      work_folder: '_work'
    })
    expect(main.outputs['runner-name']).toMatch(/^mint-token-[0-9a-z]+-4242-1-[0-9a-f]{6}$/)
    expect(main.outputs['runner-id']).toBe(String(fake.runners[0]!.id))
    const secrets = jitConfigInnerSecrets(main.outputs['jit-config']!)
    for (const secret of secrets) expect(main.stdout).toContain(`::add-mask::${secret}`)
    expect(main.stdout).not.toMatch(/::add-mask::AQAB$/m)
    expect(main.summary).toContain('self-hosted, linux')
    expect(post.stdout).toContain("('runner-cleanup: never')")
    assertNoLeaks(job, [main, post], { maskable: secrets, key: fake.app.privateKey })
  })

  test('repository runner joins group 1 with administration:write on that repository', async () => {
    const { main } = await runAction(job, jit({ repositories: 'app' }))
    expect(main.exitCode).toBe(0)
    expect(posts('/generate-jitconfig')[0]!.path).toBe(
      '/repos/octo-org/app/actions/runners/generate-jitconfig'
    )
    expect(mints()[0]!.body).toEqual({
      repositories: ['app'],
      permissions: { administration: 'write' }
    })
  })

  test('group by name is resolved through every page of runner groups', async () => {
    for (let i = 0; i < 120; i++) fake.addRunnerGroup('octo-org', { name: `group-${i}` })
    const target = fake.addRunnerGroup('octo-org', { name: 'GPU runners' })
    const { main } = await runAction(job, jit({ 'runner-group': 'gpu RUNNERS' }))
    expect(main.exitCode).toBe(0)
    expect(posts('/generate-jitconfig')[0]!.body).toMatchObject({ runner_group_id: target.id })
    expect(fake.requests.filter((r) => r.path.endsWith('/runner-groups')).length).toBe(2)
  })

  test('group by id is used as given', async () => {
    const group = fake.addRunnerGroup('octo-org', { name: 'build' })
    await runAction(job, jit({ 'runner-group': String(group.id) }))
    expect(posts('/generate-jitconfig')[0]!.body).toMatchObject({ runner_group_id: group.id })
    expect(fake.requests.filter((r) => r.path.endsWith('/runner-groups'))).toEqual([])
  })

  test('an unknown group name lists the available groups, and nothing is registered', async () => {
    fake.addRunnerGroup('octo-org', { name: 'build' })
    const main = await runStep(job, 'main', jit({ 'runner-group': 'nope' }))
    expectFailure(
      main,
      /^Input 'runner-group' is 'nope', but the organization 'octo-org' has no such runner group\. Available: 'Default' \(1\), 'build' \(\d+\)\.$/
    )
    expect(fake.runners).toEqual([])
    expectAllRevoked(fake)
  })

  test('a group restricted to selected workflows or not visible to this repository warns', async () => {
    fake.addRunnerGroup('octo-org', {
      name: 'locked',
      visibility: 'selected',
      restrictedToWorkflows: true,
      selectedRepositories: ['docs']
    })
    const main = await runStep(job, 'main', jit({ 'runner-group': 'locked' }))
    expect(main.exitCode).toBe(0)
    expect(main.warnings).toEqual([
      "Runner group 'locked' is restricted to selected workflows; jobs of other workflows will not be sent to this runner.",
      "Runner group 'locked' is not visible to octo-org/app; its jobs cannot use this runner."
    ])
  })

  test.each([
    ['no labels', ''],
    ['101 labels', Array.from({ length: 101 }, (_, i) => `l${i}`).join(',')]
  ])('labels out of bounds: %s', async (_name, labels) => {
    const main = await runStep(job, 'main', jit({ 'runner-labels': labels }))
    const count = labels ? 101 : 0
    expectFailure(
      main,
      `Input 'runner-labels' has ${count} labels; a JIT runner needs 1 to 100 (e.g. 'self-hosted, linux, x64, gpu'). They are sent exactly as given, so include every label your 'runs-on' uses.`
    )
    expect(fake.requests).toEqual([])
  })
})

describe('runner-jit: no double registration', () => {
  test('a 409 for a generated name gets one more try under a new name', async () => {
    fake.inject({
      method: 'POST',
      path: /generate-jitconfig$/,
      fault: { status: 409, message: 'Already exists' }
    })
    const main = await runStep(job, 'main', jit())
    expect(main.exitCode).toBe(0)
    const names = posts('/generate-jitconfig').map((r) => (r.body as { name: string }).name)
    expect(names).toHaveLength(2)
    expect(names[0]).not.toBe(names[1])
    expect(fake.runners).toHaveLength(1)
  })

  test('a 409 for an explicit name names the existing runner', async () => {
    await runStep(job, 'main', jit({ 'runner-name': 'build-1' }))
    fake.setRunner(fake.runners[0]!.id, { status: 'online', busy: true })
    const main = await runStep(newJob(fake.url), 'main', jit({ 'runner-name': 'build-1' }))
    expectFailure(
      main,
      `A runner named 'build-1' is already registered (id ${fake.runners[0]!.id}, online, busy). Remove it (Settings → Actions → Runners) if it is stale, choose another 'runner-name', or leave 'runner-name' empty to get a unique generated name.`
    )
    expect(posts('/generate-jitconfig')).toHaveLength(2)
  })

  test('a 5xx on the JIT request is not retried blindly', async () => {
    fake.inject({ method: 'POST', path: /generate-jitconfig$/, fault: { status: 502 } })
    const main = await runStep(job, 'main', jit())
    expect(main.exitCode).toBe(1)
    expect(posts('/generate-jitconfig')).toHaveLength(1)
    expect(fake.runners).toEqual([])
  })
})

describe('runner-jit: post-step cleanup', () => {
  const cases: [
    string,
    { status: 'online' | 'offline'; busy: boolean } | 'deleted',
    boolean,
    RegExp
  ][] = [
    ['if-unused', { status: 'offline', busy: false }, true, /^Removed runner /m],
    [
      'if-unused',
      { status: 'online', busy: false },
      false,
      /it is online \('runner-cleanup: if-unused'/
    ],
    ['if-unused', { status: 'online', busy: true }, false, /it is running a job/],
    ['always', { status: 'online', busy: false }, true, /^Removed runner /m],
    ['always', { status: 'offline', busy: false }, true, /^Removed runner /m],
    ['always', { status: 'online', busy: true }, false, /it is running a job/],
    ['always', 'deleted', false, /is already gone/],
    ['if-unused', 'deleted', false, /is already gone/]
  ]
  test.each(cases)(
    'runner-cleanup: %s, runner %j → removed: %s',
    async (mode, state, removed, line) => {
      const inputs = jit({ 'runner-cleanup': mode })
      const main = await runStep(job, 'main', inputs)
      const id = fake.runners[0]!.id
      if (state === 'deleted') fake.removeRunner(id)
      else fake.setRunner(id, state)
      const post = await runStep(job, 'post', inputs, main.state)
      expect(post.exitCode).toBe(0)
      expect(post.stdout).toMatch(line)
      expect(post.warnings).toEqual([])
      expect(fake.runners.some((r) => r.id === id)).toBe(!removed && state !== 'deleted')
      expectAllRevoked(fake)
    }
  )

  test('a failing cleanup is a warning with the status, never a failed job', async () => {
    const inputs = jit({ 'runner-cleanup': 'always' })
    const main = await runStep(job, 'main', inputs)
    fake.inject({ method: 'DELETE', path: /runners\/\d+$/, times: 10, fault: { status: 500 } })
    const post = await runStep(job, 'post', inputs, main.state)
    expect(post.exitCode).toBe(0)
    expect(post.warnings).toHaveLength(1)
    expect(post.warnings[0]).toMatch(/^mint-token cleanup did not finish \(HTTP 500: /)
  })
})

describe('runner types: inputs that do not apply', () => {
  test("'permissions' with a runner type is refused", async () => {
    const main = await runStep(job, 'main', jit({ permissions: 'contents:read' }))
    expectFailure(
      main,
      "Input 'permissions' applies to 'token-type: installation' only; a runner-jit credential is minted with the one permission it needs. Remove 'permissions'."
    )
  })
})
