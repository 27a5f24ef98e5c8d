import { startFakeGitHub, type FakeGitHub, type TokenFormat } from '../../fake-github/server.js'
import {
  startManInTheMiddle,
  type ManInTheMiddle,
  type Reply
} from '../../harness/man-in-the-middle.js'
import { assertNoLeaks } from '../../harness/assert-no-leaks.js'
import {
  newJob,
  runAction,
  runStep,
  type Job,
  type StepResult,
  expectRefused,
  expectUndoneAfterMint
} from '../../harness/run-action.js'
import { expectAllRevoked } from '../../harness/expect-all-revoked.js'

/**
 * Issue 8, items 1, 2, 9 and the mint part of 4: the bundled action against replies that a hostile
 * or broken network hands it. Every request goes through the man in the middle (`github-api-url`
 * is its URL), which rewrites or loses the fake's replies; the harness checks every step for leaks.
 */
let fake: FakeGitHub
let mitm: ManInTheMiddle
let job: Job
let installationId: number

async function start(tokenFormat?: TokenFormat) {
  fake = await startFakeGitHub()
  installationId = fake.addInstallation({
    account: 'octo-org',
    repositories: ['app', 'docs'],
    permissions: { contents: 'write', metadata: 'read', organization_self_hosted_runners: 'write' },
    tokenFormat
  }).id
  mitm = await startManInTheMiddle(fake.url)
  job = newJob(mitm.url)
}
afterEach(async () => {
  await mitm.close()
  await fake.close()
})

const key = (more: Record<string, string> = {}) => ({
  'app-id': String(fake.app.id),
  'private-key': fake.app.privateKey,
  'github-api-url': mitm.url,
  ...more
})
const jit = (more: Record<string, string> = {}) =>
  key({ owner: 'octo-org', 'token-type': 'runner-jit', 'runner-labels': 'self-hosted', ...more })
const mints = () => fake.requests.filter((r) => r.path.endsWith('/access_tokens'))
const MINT = /^\/app\/installations\/\d+\/access_tokens$/
const LOOKUP = '/repos/octo-org/app/installation'

/** A rewrite of the fake's JSON reply. */
const json =
  (change: (body: Record<string, unknown>) => unknown) =>
  (reply: Reply): Partial<Reply> => ({
    body: JSON.stringify(change(JSON.parse(reply.body) as Record<string, unknown>))
  })

/** Lines the runner would read as workflow commands, other than masking and debug lines. */
const commands = (step: StepResult) =>
  step.stdout.split('\n').filter((line) => /^::/.test(line) && !/^::(add-mask|debug)::/.test(line))

describe('hostile replies, item 1: foreign text reaches the log flattened', () => {
  beforeEach(() => start())

  test("a 5xx message holding '\\n::stop-commands::' cannot stop the token's ::add-mask::", async () => {
    fake.inject({
      method: 'POST',
      path: MINT,
      fault: { status: 502, message: 'Server Error\n::stop-commands::x' }
    })
    const main = await runStep(job, 'main', key())
    expect(main.exitCode).toBe(0)
    expect(mints().map((r) => r.status)).toEqual([502, 201])
    const lines = main.stdout.split('\n')
    expect(lines.filter((line) => line.startsWith('::stop-commands::'))).toEqual([])
    expect(lines).toContain(
      `POST /app/installations/${installationId}/access_tokens failed (HTTP 502: Server Error ::stop-commands::x - https://docs.github.com/rest); retry 1 of 2 in 1 s`
    )
    expect(lines).toContain(`::add-mask::${main.outputs.token}`)
  })

  test('fields of the lookup and mint replies cannot forge ::warning::, ::error:: or ::set-output', async () => {
    mitm.intercept({
      path: LOOKUP,
      rewrite: json((body) => ({ ...body, app_slug: 'evil\n::warning::forged slug' }))
    })
    mitm.intercept({
      path: MINT,
      rewrite: json((body) => ({
        ...body,
        repositories: [{ name: 'app\n::set-output name=token::forged' }],
        permissions: { 'contents\n::error::forged name': 'write\r\n::warning::forged level' }
      }))
    })
    const main = await runStep(job, 'main', key())
    expect(main.exitCode).toBe(0)
    expect(commands(main)).toEqual([])
    expect(main.stdout.split('\n')).toContain(
      `Minted an installation token for octo-org/app ::set-output name=token::forged; it expires at ${main.outputs['expires-at']}.`
    )
  })

  test("the installation's slug, account and granted levels are flattened in the error", async () => {
    mitm.intercept({
      path: LOOKUP,
      rewrite: json((body) => ({
        ...body,
        app_slug: 'evil\n::warning::forged slug',
        account: { login: 'octo\r::error::forged account' },
        permissions: { contents: 'read\n::warning::forged level' }
      }))
    })
    const main = await runStep(job, 'main', key({ permissions: 'contents:write' }))
    expectRefused(
      main,
      "The GitHub App 'evil ::warning::forged slug' installation on 'octo ::error::forged account' does not grant what input 'permissions' asks for: contents: write (installation grants read ::warning::forged level). Either lower it in 'permissions', or add it in the App's settings (Permissions & events) and have the installation owner accept the new permissions."
    )
    expect(commands(main)).toHaveLength(1)
    expect(mints()).toEqual([])
  })

  test('runner and runner-group names cannot forge workflow commands', async () => {
    mitm.intercept({
      path: '/orgs/octo-org/actions/runner-groups',
      rewrite: json((body) => ({
        ...body,
        runner_groups: (body.runner_groups as Record<string, unknown>[]).map((group) => ({
          ...group,
          name: 'Default\n::error::forged group',
          restricted_to_workflows: true
        }))
      }))
    })
    mitm.intercept({
      path: '/orgs/octo-org/actions/runners/generate-jitconfig',
      rewrite: json((body) => ({
        ...body,
        runner: { ...(body.runner as object), name: 'r1\n::warning::forged runner' }
      }))
    })
    const main = await runStep(job, 'main', jit())
    expect(main.exitCode).toBe(0)
    expect(main.warnings).toEqual([
      "Runner group 'Default ::error::forged group' is restricted to selected workflows; jobs of other workflows will not be sent to this runner."
    ])
    expect(commands(main)).toHaveLength(1)
    expect(main.stdout.split('\n')).toContain(
      `Registered just-in-time runner r1 ::warning::forged runner (id ${fake.runners[0]!.id}) with organization octo-org.`
    )
  })

  test('a hostile field is escaped in the job summary: pipes, backticks, HTML', async () => {
    mitm.intercept({
      path: LOOKUP,
      rewrite: json((body) => ({
        ...body,
        app_slug: 'evil|`code`<img src=x onerror=alert(1)>\n# h'
      }))
    })
    const main = await runStep(job, 'main', key())
    expect(main.exitCode).toBe(0)
    expect(main.summary).toContain(
      '<tr><th>App</th><td>evil&#124;&#96;code&#96;&lt;img src=x onerror=alert(1)&gt; # h</td></tr>'
    )
    expect(main.summary).not.toContain('<img')
  })
})

describe('hostile replies, item 2: response shapes are checked, bodies capped', () => {
  beforeEach(() => start())
  const mintRoute = 'POST /app/installations/{installation_id}/access_tokens'

  test('a text/html 200 to the lookup fails naming the request and the field; no mint is built from it', async () => {
    mitm.intercept({
      path: LOOKUP,
      rewrite: () => ({
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: '<html>Welcome to the hotel network</html>'
      })
    })
    const main = await runStep(job, 'main', key())
    expectRefused(
      main,
      "GitHub's reply to GET /repos/{owner}/{repo}/installation is not a JSON object (got text), so it lacks 'id' (a positive integer). Something between this runner and GitHub (a proxy or firewall) may have answered instead; check 'github-api-url' and the runner's network."
    )
    expect(mitm.seen.map((s) => s.request)).toEqual([`GET ${LOOKUP}`])
  })

  test.each([
    [
      'the lookup without an id',
      LOOKUP,
      (body: Record<string, unknown>) => ({ ...body, id: undefined }),
      "GitHub's reply to GET /repos/{owner}/{repo}/installation lacks 'id': expected a positive integer, got nothing."
    ],
    [
      'the lookup with id 0',
      LOOKUP,
      (body: Record<string, unknown>) => ({ ...body, id: 0 }),
      "GitHub's reply to GET /repos/{owner}/{repo}/installation lacks 'id': expected a positive integer, got the number 0."
    ],
    [
      'the mint with an empty token',
      MINT,
      (body: Record<string, unknown>) => ({ ...body, token: '' }),
      `GitHub's reply to ${mintRoute} lacks 'token': expected a non-empty string, got an empty string.`
    ],
    [
      'the mint without expires_at',
      MINT,
      (body: Record<string, unknown>) => ({ ...body, expires_at: undefined }),
      `GitHub's reply to ${mintRoute} lacks 'expires_at': expected an ISO 8601 time, got nothing.`
    ],
    [
      'the mint with a forged expires_at',
      MINT,
      (body: Record<string, unknown>) => ({
        ...body,
        expires_at: '2030-01-01T00:00:00Z\n::warning::forged'
      }),
      `GitHub's reply to ${mintRoute} lacks 'expires_at': expected an ISO 8601 time, got a string.`
    ],
    [
      'the mint with repositories that are not objects',
      MINT,
      (body: Record<string, unknown>) => ({ ...body, repositories: [null] }),
      `GitHub's reply to ${mintRoute} lacks 'repositories': expected an array of objects, it holds null.`
    ]
  ])('%s', async (_name, path, change, message) => {
    mitm.intercept({ path, rewrite: json(change) })
    const main = await runStep(job, 'main', key())
    expectRefused(main, message)
    expect(commands(main)).toHaveLength(1)
  })

  test.each([
    [
      'registration token without a token',
      { 'token-type': 'runner-registration' },
      '/orgs/octo-org/actions/runners/registration-token',
      (body: Record<string, unknown>) => ({ ...body, token: undefined }),
      "GitHub's reply to POST /orgs/{org}/actions/runners/registration-token lacks 'token': expected a non-empty string, got nothing."
    ],
    [
      'registration token with a forged expires_at',
      { 'token-type': 'runner-registration' },
      '/orgs/octo-org/actions/runners/registration-token',
      (body: Record<string, unknown>) => ({ ...body, expires_at: 'soon\n::error::forged' }),
      "GitHub's reply to POST /orgs/{org}/actions/runners/registration-token lacks 'expires_at': expected an ISO 8601 time, got a string."
    ],
    [
      'runner groups without the list',
      {},
      '/orgs/octo-org/actions/runner-groups',
      () => ({ total_count: 1 }),
      "GitHub's reply to GET /orgs/{org}/actions/runner-groups lacks 'runner_groups': expected an array of objects, got nothing."
    ],
    [
      'a runner group without an id',
      {},
      '/orgs/octo-org/actions/runner-groups',
      () => ({ total_count: 1, runner_groups: [{ name: 'Default', default: true }] }),
      "GitHub's reply to GET /orgs/{org}/actions/runner-groups (runner_groups[]) lacks 'id': expected a positive integer, got nothing."
    ],
    [
      'a JIT reply without encoded_jit_config',
      {},
      '/orgs/octo-org/actions/runners/generate-jitconfig',
      (body: Record<string, unknown>) => ({ runner: body.runner }),
      "GitHub's reply to POST /orgs/{org}/actions/runners/generate-jitconfig lacks 'encoded_jit_config': expected a non-empty string, got nothing."
    ],
    [
      "a JIT reply without the runner's id",
      {},
      '/orgs/octo-org/actions/runners/generate-jitconfig',
      (body: Record<string, unknown>) => ({ ...body, runner: { name: 'r1' } }),
      "GitHub's reply to POST /orgs/{org}/actions/runners/generate-jitconfig lacks 'runner.id': expected a positive integer, got nothing."
    ],
    [
      "a JIT reply without the runner's name",
      {},
      '/orgs/octo-org/actions/runners/generate-jitconfig',
      (body: Record<string, unknown>) => ({ ...body, runner: { id: 7 } }),
      "GitHub's reply to POST /orgs/{org}/actions/runners/generate-jitconfig lacks 'runner.name': expected a non-empty string, got nothing."
    ]
  ])('runners: %s', async (_name, inputs, path, change, message) => {
    mitm.intercept({ path, rewrite: json(change) })
    const main = await runStep(job, 'main', jit(inputs))
    expectRefused(main, message)
    expectAllRevoked(fake)
  })

  test("a runner group's repository list without 'repositories'", async () => {
    const group = fake.addRunnerGroup('octo-org', { name: 'picky', visibility: 'selected' })
    mitm.intercept({
      path: `/orgs/octo-org/actions/runner-groups/${group.id}/repositories`,
      rewrite: () => ({ body: '{"total_count":0}' })
    })
    const main = await runStep(job, 'main', jit({ 'runner-group': 'picky' }))
    expectRefused(
      main,
      "GitHub's reply to GET /orgs/{org}/actions/runner-groups/{runner_group_id}/repositories lacks 'repositories': expected an array of objects, got nothing."
    )
  })

  test('a runner list whose runner has no id, looked up after a 409', async () => {
    fake.addRunner({ name: 'taken', scope: { org: 'octo-org' } })
    mitm.intercept({
      method: 'GET',
      path: '/orgs/octo-org/actions/runners',
      rewrite: () => ({ body: '{"total_count":1,"runners":[{"name":"taken"}]}' })
    })
    const main = await runStep(job, 'main', jit({ 'runner-name': 'taken' }))
    expectRefused(
      main,
      "GitHub's reply to GET /orgs/{org}/actions/runners (runners[]) lacks 'id': expected a positive integer, got nothing."
    )
  })

  test("a huge error body is capped in the ::error:: line, and can't forge a command", async () => {
    const body = `<html>${'x'.repeat(5000)}\n::warning::forged</html>`
    mitm.intercept({
      path: LOOKUP,
      rewrite: () => ({ status: 403, headers: { 'content-type': 'text/html' }, body })
    })
    const main = await runStep(job, 'main', key())
    expectRefused(main, `HTTP 403: <html>${'x'.repeat(293)}…`)
    expect(commands(main)).toHaveLength(1)
  })

  test.each([
    ['declared by content-length', true],
    ['found while reading (chunked)', false]
  ])('a reply larger than 4 MB is refused, %s, and not retried', async (_name, declared) => {
    const body = JSON.stringify({ id: installationId, padding: 'x'.repeat(5 * 1024 * 1024) })
    mitm.intercept({
      path: LOOKUP,
      rewrite: (reply) => ({
        body,
        headers: declared
          ? { ...reply.headers, 'content-length': String(body.length) }
          : reply.headers
      })
    })
    const main = await runStep(job, 'main', key())
    expectRefused(
      main,
      `GitHub's reply to GET ${LOOKUP} is larger than 4 MB, so it was not read. Something between this runner and GitHub (a proxy) may have answered instead; check 'github-api-url'.`
    )
    expect(mitm.seen.map((s) => s.request)).toEqual([`GET ${LOOKUP}`])
  })
})

describe('hostile replies, item 4 (mint part): the mint POST retried after a lost reply', () => {
  beforeEach(() => start())
  const NOTE =
    'GitHub may have minted a token whose reply was lost; this step never saw it, and it expires by itself within the hour.'

  test('a reset after GitHub minted: retried, and the log says a token may exist unseen', async () => {
    mitm.intercept({ method: 'POST', path: MINT, drop: 'reset' })
    const main = await runStep(job, 'main', key())
    expect(main.exitCode).toBe(0)
    expect(mitm.seen.filter((s) => MINT.test(s.request.split(' ')[1]!)).map((s) => s.fate)).toEqual(
      ['reset', 'passed']
    )
    const [lost, used] = [...fake.tokens.keys()]
    expect(main.outputs.token).toBe(used)
    expect(fake.tokens.get(lost!)!.revoked).toBe(false)
    // The fake records no token per request, only the method: main sent no DELETE at all.
    expect(fake.requests.filter((r) => r.method === 'DELETE')).toEqual([])
    const lines = main.stdout.split('\n')
    const retry = lines.findIndex((line) =>
      line.startsWith(`POST /app/installations/${installationId}/access_tokens failed (`)
    )
    expect(lines[retry]).toMatch(/\); retry 1 of 2 in 1 s$/)
    expect(lines[retry + 1]).toBe(NOTE)
  })

  test('a 5xx may have minted too: the same note', async () => {
    fake.inject({ method: 'POST', path: MINT, fault: { status: 504 } })
    const main = await runStep(job, 'main', key())
    expect(main.exitCode).toBe(0)
    expect(main.stdout.split('\n')).toContain(NOTE)
  })

  test('a rate limit is refused before GitHub acts: no note', async () => {
    fake.inject({ method: 'POST', path: MINT, fault: { secondaryRateLimit: { retryAfter: 1 } } })
    const main = await runStep(job, 'main', key())
    expect(main.exitCode).toBe(0)
    expect(mints()).toHaveLength(2)
    expect(main.stdout).not.toContain(NOTE)
  })
})

describe('hostile replies, item 9: both token formats', () => {
  test.each([
    ['stateless (the default)', undefined, /^ghs_\d+_[\w-]+\.[\w-]+\.[\w-]+$/],
    ['classic', 'classic' as const, /^ghs_[A-Za-z0-9]{36}$/]
  ])('%s: minted, masked first, output, saved, revoked in post', async (_name, format, shape) => {
    await start(format)
    const { main, post } = await runAction(job, key())
    expect(main.exitCode).toBe(0)
    const token = main.outputs.token!
    expect(token).toMatch(shape)
    if (!format) expect(token.length).toBeGreaterThan(400)
    const lines = main.stdout.split('\n')
    const masked = lines.indexOf(`::add-mask::${token}`)
    expect(masked).toBeGreaterThanOrEqual(0)
    expect(masked).toBeLessThan(lines.findIndex((line) => line.startsWith('Minted ')))
    expect(main.state.token).toBe(token)
    expect(main.summary).toContain('<tr><th>App</th>')
    expect(post.exitCode).toBe(0)
    expect(post.stdout.split('\n')).toContain('Revoked the installation token.')
    expect(fake.tokens.get(token)!.revoked).toBe(true)
    const revoke = fake.requests.find((r) => r.method === 'DELETE')!
    expect([revoke.path, revoke.auth, revoke.status]).toEqual(['/installation/token', 'token', 204])
  })

  test('stateless intermediate token of a runner credential: masked, revoked in main', async () => {
    await start()
    const main = await runStep(job, 'main', jit())
    expect(main.exitCode).toBe(0)
    const [intermediate] = [...fake.tokens.entries()]
    expect(intermediate![0].length).toBeGreaterThan(400)
    expect(main.stdout.split('\n')).toContain(`::add-mask::${intermediate![0]}`)
    expect(intermediate![1].revoked).toBe(true)
    assertNoLeaks(job, [main], { maskable: [intermediate![0]], key: fake.app.privateKey })
  })
})

describe('hostile replies, issue 13 item 12: the bot login is exactly <slug>[bot]', () => {
  beforeEach(() => start())
  const BOT_USER = '/users/fake-mint-token%5Bbot%5D'
  const REFUSED =
    "GET /users/fake-mint-token[bot] answered without the bot user's integer 'id' and the 'login' 'fake-mint-token[bot]'."

  test.each([
    ['quotes and a command substitution', `fake-mint-token"'$(id)[bot]`],
    ['a line break before the suffix', 'fake-mint-token\n::set-output name=x::y\n[bot]'],
    ['a trailing line break', 'fake-mint-token[bot]\n'],
    ["another App's bot", 'other-app[bot]'],
    ['the slug with a prefix', 'evil fake-mint-token[bot]']
  ])('%s: refused, no bot outputs, the token revoked', async (_what, login) => {
    mitm.intercept({ path: BOT_USER, rewrite: json((body) => ({ ...body, login })) })
    const main = await runStep(job, 'main', key({ 'bot-identity': 'true' }))
    expectUndoneAfterMint(main, REFUSED)
    expect(main.stdout).not.toContain('$(id)')
    expect(mints()).toHaveLength(1)
    expectAllRevoked(fake)
  })

  test("a slug that is not one, in the installation's reply: refused before GET /users", async () => {
    mitm.intercept({ path: LOOKUP, rewrite: json((body) => ({ ...body, app_slug: 'x$(id)' })) })
    const main = await runStep(job, 'main', key({ 'bot-identity': 'true' }))
    expectUndoneAfterMint(
      main,
      "Input 'bot-identity': the App's slug 'x$(id)' from GitHub's reply is not a slug (letters, digits and '-')."
    )
    expect(fake.requests.map((r) => r.path)).not.toContain(BOT_USER)
    expectAllRevoked(fake)
  })
})
