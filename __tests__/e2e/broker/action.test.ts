import { existsSync, readFileSync } from 'node:fs'
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { assertNoLeaks, jitConfigInnerSecrets } from '../../harness/assert-no-leaks.js'
import { startOidcIssuer, type OidcIssuer } from '../../harness/oidc-issuer.js'
import {
  AUDIENCE,
  brokerConfig,
  brokerDir,
  startBroker,
  type BrokerProcess
} from '../../harness/run-broker.js'
import {
  expectRefused,
  exportToJob,
  newJob,
  runAction,
  runStep,
  type Job
} from '../../harness/run-action.js'
import { until } from '../../harness/wait.js'
import { emptyHome, gitStepEnv, runGit } from '../../harness/git-client.js'
import { startGitHttpServer, validOnFake } from '../../harness/git-http-server.js'
import { join } from 'node:path'

/**
 * The action with `broker-url` (dist/main and dist/post through the runner emulator): the job's
 * OIDC token from the runner's token service (ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN, pointed at the
 * test issuer), the broker's credential masked and published as the action's own, the post step
 * revoking the token with itself and removing a JIT runner through the broker.
 */
const POLICIES = [
  {
    name: 'repo-write',
    match: { repository_owner: 'octo-org' },
    grant: {
      kind: 'installation',
      owner: 'octo-org',
      repositories: '$repository',
      permissions: { contents: 'write', metadata: 'read' }
    }
  },
  {
    name: 'gpu',
    match: { repository_owner: 'octo-org' },
    grant: { kind: 'runner-jit', owner: 'octo-org', labels: ['self-hosted', 'gpu'] }
  }
]

let fake: FakeGitHub
let issuer: OidcIssuer
let broker: BrokerProcess
let job: Job
beforeAll(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositorySelection: 'all',
    repositories: ['app', 'docs'],
    permissions: {
      contents: 'write',
      metadata: 'read',
      issues: 'write',
      organization_self_hosted_runners: 'write'
    }
  })
  issuer = await startOidcIssuer({ audience: AUDIENCE })
  const dir = brokerDir()
  broker = await startBroker(brokerConfig(fake, issuer, dir, POLICIES), dir)
})
afterAll(async () => {
  await broker?.stop()
  await issuer?.close()
  await fake?.close()
})
beforeEach(() => {
  job = newJob(fake.url, issuer.actionsEnv)
})
afterEach(() => {
  fake.tokenLifetimeMs = 3_600_000
})

const viaBroker = (extra: Record<string, string> = {}) => ({
  'broker-url': broker.url,
  'broker-policy': 'repo-write',
  'broker-audience': AUDIENCE,
  ...extra
})

describe('action with broker-url: an installation token', () => {
  test('minted by the broker for this repository, masked first, handed off, revoked by post', async () => {
    const inputs = viaBroker({ 'token-file': 'true' })
    const main = await runStep(job, 'main', inputs)
    expect(main.errors).toEqual([])
    expect(main.exitCode).toBe(0)
    const token = main.outputs.token!
    expect(fake.tokens.get(token)).toMatchObject({ repositories: ['app'] })
    expect(main.outputs).toMatchObject({
      'expires-at': expect.any(String) as unknown,
      permissions: JSON.stringify({ contents: 'write', metadata: 'read' }),
      'token-hash': expect.any(String) as unknown
    })
    expect(readFileSync(main.outputs['token-file']!, 'utf8')).toBe(token)
    // The token is masked before any output or state carries it; so is the job's OIDC token.
    const firstMask = main.stdout.indexOf(`::add-mask::${token}`)
    expect(firstMask).toBeGreaterThanOrEqual(0)
    for (const oidc of issuer.issued) expect(main.stdout).toContain(`::add-mask::${oidc}`)
    expect(main.summary).toContain('octo-org/app')
    const post = await runStep(job, 'post', inputs, main.state)
    expect(post.exitCode).toBe(0)
    expect(existsSync(main.outputs['token-file']!)).toBe(false)
    expect(fake.tokens.get(token)!.revoked).toBe(true)
    expect(post.stdout).toContain('Revoked the installation token.')
    assertNoLeaks(job, [main, post], { maskable: [token, ...issuer.issued] })
  })

  test("asking beyond the grant: the broker's reason, nothing minted", async () => {
    const before = fake.tokens.size
    const main = await runStep(job, 'main', viaBroker({ permissions: 'issues:write' }))
    expectRefused(
      main,
      "The broker refused POST /v1/token (HTTP 403): permission issues:write is not granted by policy 'repo-write'."
    )
    expect(fake.tokens.size).toBe(before)
  })

  test.each([
    [
      { 'app-id': '1' },
      "Inputs 'broker-url' and 'app-id' are both set; with a broker the App's key and identity stay with it. Remove 'app-id' (and the secret from the workflow)."
    ],
    [
      { owner: 'octo-org' },
      "Inputs 'broker-url' and 'owner' are both set; the broker policy's grant decides 'owner'. Remove it."
    ],
    [
      { 'broker-policy': '' },
      "Input 'broker-policy' is empty; with 'broker-url', name the broker policy to ask under (e.g. 'broker-policy: repo-write')."
    ],
    [
      { 'broker-url': 'http://tokens.example.com' },
      "Input 'broker-url' is 'http://tokens.example.com'; the job's OIDC token and the credential travel over it, so it must be https:// (plain http only to 127.0.0.1)."
    ]
  ])('refused before any request: %j', async (extra, message) => {
    const requests = fake.requests.length
    expectRefused(await runStep(job, 'main', viaBroker(extra)), message)
    expect(fake.requests.length).toBe(requests)
  })

  test('without id-token: write the step says so', async () => {
    const bare = newJob(fake.url)
    expectRefused(
      await runStep(bare, 'main', viaBroker()),
      "Input 'broker-url' needs the job's OIDC token, and this job may not ask for one: add 'permissions: id-token: write' to the job (pull requests from forks never get it)."
    )
  })
})

describe('action with broker-url: git', () => {
  test('git-credentials: a later step clones with the brokered token; post revokes it', async () => {
    const server = await startGitHttpServer({ isValid: validOnFake(fake) })
    const home = emptyHome()
    try {
      const gitJob = newJob(fake.url, { ...issuer.actionsEnv, GITHUB_SERVER_URL: server.url })
      const inputs = viaBroker({ 'git-credentials': 'true' })
      const main = await runStep(gitJob, 'main', inputs)
      expect(main.errors).toEqual([])
      const token = main.outputs.token!
      const clone = await runGit(['clone', '-q', server.repoUrl, join(home, 'app')], {
        env: gitStepEnv(home, main.exported)
      })
      expect(clone.code).toBe(0)
      expect(server.requests.some((r) => r.token === token && r.status === 200)).toBe(true)
      const post = await runStep(gitJob, 'post', inputs, main.state)
      expect(post.exitCode).toBe(0)
      expect(fake.tokens.get(token)!.revoked).toBe(true)
      // The helper registers the token with the runner (::add-mask::) before git uses it; no
      // other line of git's shows it.
      const shown = `${clone.stdout}${clone.stderr}`
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
      expect(shown.join('\n')).not.toContain(token)
      assertNoLeaks(gitJob, [main, post], { maskable: [token, ...issuer.issued] })
    } finally {
      await server.close()
    }
  })
})

describe('action with broker-url: token-refresh asks the broker again', () => {
  test('the refresher gets a fresh OIDC token and a new token from the broker; post stops it and revokes all', async () => {
    // A short life, so that one real refresh comes soon (a third of it left, ≈8 s in).
    fake.tokenLifetimeMs = 12_000
    const inputs = viaBroker({ 'token-file': 'true', 'token-refresh': 'true' })
    const main = await runStep(job, 'main', inputs)
    expect(main.errors).toEqual([])
    const first = main.outputs.token!
    const file = main.outputs['token-file']!
    exportToJob(job, main)
    const issuedBefore = issuer.issued.length
    const refreshed = await until(
      'the first refresh',
      () => {
        const text = readFileSync(file, 'utf8')
        return text !== first && fake.tokens.has(text) && text
      },
      { timeoutMs: 40_000 }
    )
    expect(fake.tokens.get(refreshed)).toMatchObject({ repositories: ['app'] })
    // The refresher asked the runner's token service for a new OIDC token: each is used once.
    expect(issuer.issued.length).toBeGreaterThan(issuedBefore)
    const post = await runStep(job, 'post', inputs, main.state)
    expect(post.exitCode).toBe(0)
    expect(post.warnings).toEqual([])
    for (const token of [first, refreshed]) expect(fake.tokens.get(token)!.revoked).toBe(true)
    assertNoLeaks(job, [main, post], {
      maskable: [
        ...fake.tokens.keys(),
        ...issuer.issued,
        issuer.actionsEnv.ACTIONS_ID_TOKEN_REQUEST_TOKEN
      ]
    })
  }, 90_000)

  test('token-refresh without id-token: write is refused before any request', async () => {
    const bare = newJob(fake.url)
    expectRefused(
      await runStep(bare, 'main', viaBroker({ 'token-file': 'true', 'token-refresh': 'true' })),
      "Inputs 'broker-url' and 'token-refresh' need the job's OIDC token: add 'permissions: id-token: write' to the job."
    )
  })
})

describe('action with broker-url: a JIT runner', () => {
  test('registered by the broker with the enforced labels; post removes it through the broker', async () => {
    const { main, post } = await runAction(
      job,
      viaBroker({
        'broker-policy': 'gpu',
        'token-type': 'runner-jit',
        'runner-labels': 'self-hosted',
        'runner-cleanup': 'always'
      })
    )
    expect(main.errors).toEqual([])
    const id = Number(main.outputs['runner-id'])
    const runner = fake.runners.find((r) => r.id === id)
    expect(runner).toBeUndefined() // removed by post, checked below by the request log
    expect(main.outputs['runner-url']).toMatch(/\/octo-org$/)
    expect(main.outputs['runner-name']).toMatch(/^mint-token-[0-9a-z]+-4242-1-[0-9a-f]{6}$/)
    const secrets = jitConfigInnerSecrets(main.outputs['jit-config']!)
    for (const secret of secrets) expect(main.stdout).toContain(`::add-mask::${secret}`)
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toContain(
      `Removed runner ${main.outputs['runner-name']} (id ${id}) through the broker.`
    )
    expect(
      fake.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith(`/runners/${id}`))
    ).toHaveLength(1)
    assertNoLeaks(job, [main, post], { maskable: [...secrets, ...issuer.issued] })
  })
})
