import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { jitConfigInnerSecrets, keyLinesOf } from '../../harness/assert-no-leaks.js'
import { startOidcIssuer, type OidcIssuer } from '../../harness/oidc-issuer.js'
import { runCli } from '../../harness/run-cli.js'
import {
  AUDIENCE,
  brokerConfig,
  brokerDir,
  startBroker,
  type BrokerProcess
} from '../../harness/run-broker.js'
import { until } from '../../harness/wait.js'

/**
 * The broker's runner grants (dist/cli serve against the fake GitHub): JIT runners with enforced
 * labels, registration tokens, the caller's runners listed and removed (never a busy one, never
 * another caller's), and the scheduled prune of the offline ones it registered.
 */
const POLICIES = [
  {
    name: 'gpu',
    match: { repository_owner: 'octo-org' },
    grant: {
      kind: 'runner-jit',
      owner: 'octo-org',
      labels: ['self-hosted', 'linux', 'gpu'],
      'name-prefix': 'ci-gpu',
      'work-folder': '_gpu'
    }
  },
  {
    name: 'register',
    match: { repository_owner: 'octo-org' },
    grant: { kind: 'runner-registration', owner: 'octo-org', repository: 'app', labels: ['build'] }
  },
  {
    name: 'tokens',
    match: { repository_owner: 'octo-org' },
    grant: { kind: 'installation', owner: 'octo-org', permissions: { contents: 'read' } }
  }
]

let fake: FakeGitHub
let issuer: OidcIssuer
let broker: BrokerProcess
beforeAll(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositorySelection: 'all',
    repositories: ['app'],
    permissions: {
      organization_self_hosted_runners: 'write',
      administration: 'write',
      contents: 'read'
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

const jitPosts = () => fake.requests.filter((r) => r.path.endsWith('/generate-jitconfig'))
const as = (sub: string) => issuer.sign({ sub })
const OTHER = 'repo:octo-org/other:ref:refs/heads/main'

describe('broker: POST /v1/runners/jit', () => {
  test('the enforced labels, prefix and work folder; named after the caller’s run; the config in the reply only', async () => {
    const reply = await broker.call('/v1/runners/jit', await issuer.sign(), { policy: 'gpu' })
    expect(reply.status).toBe(201)
    const runner = fake.runners.find((r) => r.id === reply.body.runner_id)!
    expect(reply.body).toEqual({
      encoded_jit_config: expect.any(String) as unknown,
      runner_id: runner.id,
      runner_name: runner.name,
      url: expect.stringMatching(/\/octo-org$/) as unknown,
      labels: ['self-hosted', 'linux', 'gpu'],
      group: { id: 1, name: 'Default' }
    })
    expect(runner.name).toMatch(/^ci-gpu-[0-9a-z]{6,7}-4242-1-[0-9a-f]{6}$/)
    expect(jitPosts().at(-1)!.body).toEqual({
      name: runner.name,
      runner_group_id: 1,
      labels: ['self-hosted', 'linux', 'gpu'],
      work_folder: '_gpu'
    })
    for (const secret of jitConfigInnerSecrets(reply.body.encoded_jit_config as string))
      expect(broker.log()).not.toContain(secret)
    expect([...fake.tokens.values()].every((t) => t.revoked)).toBe(true)
  })

  test('a subset of the labels; a name with the prefix', async () => {
    const reply = await broker.call('/v1/runners/jit', await issuer.sign(), {
      policy: 'gpu',
      labels: ['self-hosted', 'GPU'],
      name: 'ci-gpu-build-7'
    })
    expect(reply.status).toBe(201)
    expect(jitPosts().at(-1)!.body).toMatchObject({
      name: 'ci-gpu-build-7',
      labels: ['self-hosted', 'GPU']
    })
  })

  test.each([
    [
      { policy: 'gpu', labels: ['self-hosted', 'windows'] },
      403,
      "label 'windows' is not granted by policy 'gpu' (it allows self-hosted, linux, gpu)"
    ],
    [{ policy: 'gpu', name: 'evil-runner' }, 400, "'name' must start with 'ci-gpu-'"],
    [
      { policy: 'tokens' },
      403,
      "policy 'tokens' grants installation credentials, not a just-in-time runner"
    ],
    [{ policy: 'gpu', labels: 'gpu' }, 400, "'labels' is not a list of names"]
  ])('refused, nothing registered: %j', async (body, status, reason) => {
    const before = jitPosts().length
    const reply = await broker.call('/v1/runners/jit', await issuer.sign(), body)
    expect(reply).toEqual({ status, body: { error: expect.stringContaining(reason) as unknown } })
    expect(jitPosts().length).toBe(before)
  })

  test('a runner policy does not mint installation tokens', async () => {
    const reply = await broker.call('/v1/token', await issuer.sign(), { policy: 'gpu' })
    expect(reply).toEqual({
      status: 403,
      body: { error: "policy 'gpu' grants runner-jit credentials, not an installation token" }
    })
  })
})

describe('broker: POST /v1/runners/registration-token', () => {
  test('a token for the repository, the grant’s labels in the command', async () => {
    const reply = await broker.call('/v1/runners/registration-token', await issuer.sign(), {
      policy: 'register'
    })
    expect(reply.status).toBe(201)
    const token = reply.body.token as string
    expect(reply.body).toEqual({
      token,
      expires_at: expect.any(String) as unknown,
      url: expect.stringMatching(/\/octo-org\/app$/) as unknown,
      configuration_command: `./config.sh --url ${String(reply.body.url)} --token ${token} --labels build --unattended`
    })
    expect(fake.requests.at(-2)!.path).toBe(
      '/repos/octo-org/app/actions/runners/registration-token'
    )
    expect(broker.log()).not.toContain(token)
  })
})

describe('broker: the caller’s runners', () => {
  test('GET lists only the caller’s, with GitHub’s status; DELETE refuses another’s and a busy one', async () => {
    const mine = await broker.call(
      '/v1/runners/jit',
      await as('repo:octo-org/mine:ref:refs/heads/main'),
      { policy: 'gpu' }
    )
    const theirs = await broker.call('/v1/runners/jit', await as(OTHER), { policy: 'gpu' })
    const myId = mine.body.runner_id as number
    const theirId = theirs.body.runner_id as number
    fake.setRunner(myId, { status: 'online' })

    const listed = await broker.call(
      '/v1/runners',
      await as('repo:octo-org/mine:ref:refs/heads/main'),
      undefined,
      'GET'
    )
    expect(listed.status).toBe(200)
    expect(listed.body.runners).toEqual([
      expect.objectContaining({
        runner_id: myId,
        status: 'online',
        busy: false,
        policy: 'gpu',
        labels: ['self-hosted', 'linux', 'gpu']
      })
    ])

    const other = await broker.call(
      `/v1/runners/${theirId}`,
      await as('repo:octo-org/mine:ref:refs/heads/main'),
      undefined,
      'DELETE'
    )
    expect(other).toEqual({
      status: 404,
      body: { error: `no runner '${theirId}' was registered by this broker for you` }
    })
    expect(fake.runners.some((r) => r.id === theirId)).toBe(true)

    fake.setRunner(myId, { busy: true })
    const busy = await broker.call(
      `/v1/runners/${myId}`,
      await as('repo:octo-org/mine:ref:refs/heads/main'),
      undefined,
      'DELETE'
    )
    expect(busy.status).toBe(409)
    expect(fake.runners.some((r) => r.id === myId)).toBe(true)

    fake.setRunner(myId, { busy: false })
    const removed = await broker.call(
      `/v1/runners/${myId}`,
      await as('repo:octo-org/mine:ref:refs/heads/main'),
      undefined,
      'DELETE'
    )
    expect(removed).toEqual({
      status: 200,
      body: { runner_id: myId, runner_name: mine.body.runner_name, removed: 'removed' }
    })
    expect(fake.runners.some((r) => r.id === myId)).toBe(false)
    const after = await broker.call(
      '/v1/runners',
      await as('repo:octo-org/mine:ref:refs/heads/main'),
      undefined,
      'GET'
    )
    expect(after.body.runners).toEqual([])
  })
})

describe('broker: the scheduled prune', () => {
  test('removes the offline runners it registered once older than older-than, and audits it', async () => {
    const dir = brokerDir()
    const config = brokerConfig(fake, issuer, dir, POLICIES)
    const first = await startBroker(config, dir)
    const offline = await first.call('/v1/runners/jit', await issuer.sign(), { policy: 'gpu' })
    const online = await first.call('/v1/runners/jit', await issuer.sign(), { policy: 'gpu' })
    fake.setRunner(online.body.runner_id as number, { status: 'online' })
    // Someone else's runner with the same prefix: never the broker's to touch.
    const foreign = fake.addRunner({
      name: 'ci-gpu-manual',
      scope: { org: 'octo-org' },
      status: 'offline'
    })
    await first.stop()
    // Two hours later on GitHub's clock: the same database, a broker that prunes at start.
    fake.clockSkewMs = 2 * 3600_000
    const withPrune = brokerConfig(fake, issuer, dir, POLICIES, {
      prune: { every: '1h', 'older-than': '1h' }
    })
    const second = await startBroker(withPrune, dir)
    try {
      const gone = offline.body.runner_id as number
      await until('the offline runner to be pruned', () => !fake.runners.some((r) => r.id === gone))
      expect(fake.runners.some((r) => r.id === online.body.runner_id)).toBe(true)
      expect(fake.runners.some((r) => r.id === foreign.id)).toBe(true)
      const audit = await runCli(['audit', '--config', withPrune, '--json'], { cwd: dir })
      expect(JSON.parse(audit.stdout)).toContainEqual(
        expect.objectContaining({
          route: 'prune',
          runner_id: gone,
          reason: 'offline and older than 1h',
          policy: 'gpu'
        })
      )
    } finally {
      fake.clockSkewMs = 0
      await second.stop()
    }
    for (const line of keyLinesOf(fake.app.privateKey)) expect(second.log()).not.toContain(line)
  })
})
