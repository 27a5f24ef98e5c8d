import { cleanup } from '../../src/action/post/cleanup.js'
import { mint } from '../../src/action/main/mint.js'
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js'
import { testContext } from '../harness/test-context.js'

/** In-process scenarios: the real modules against the fake over real HTTP, with short waits. */

let fake: FakeGitHub
beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { contents: 'write' }
  })
})
afterEach(async () => fake.close())

const inputs = () => ({
  'app-id': String(fake.app.id),
  'private-key': fake.app.privateKey,
  'github-api-url': fake.url
})

describe('mint: order of effects', () => {
  test('the token is masked before any output, state or summary', async () => {
    const { ctx, events } = testContext({ inputs: inputs() })
    await mint(ctx)
    const kinds = events.filter((e) => e.kind !== 'info' && e.kind !== 'debug').map((e) => e.kind)
    expect(kinds[0]).toBe('mask')
    // Masked as soon as it is minted, again before the state the post step revokes with is
    // saved (at once, for a cancelled hand-off), and where everything else is published.
    expect(kinds.slice(1)).toEqual([
      'mask',
      'state',
      'state',
      'mask',
      'output',
      'output',
      'output',
      'output',
      'output',
      'output',
      'summary'
    ])
    const token = events.find((e) => e.kind === 'mask')!.value
    const before = events.slice(
      0,
      events.findIndex((e) => e.kind === 'mask')
    )
    expect(before.some((e) => e.value.includes(token))).toBe(false)
  })
})

describe('mint: a hung connection cannot hang the job', () => {
  test('each attempt times out and the retries stay within the budget', async () => {
    fake.inject({ method: 'GET', path: /installation$/, times: 100, fault: { hang: true } })
    const { ctx, outputs } = testContext({
      inputs: inputs(),
      http: { timeoutMs: 200, budgetMs: 1_000 }
    })
    const started = Date.now()
    await expect(mint(ctx)).rejects.toThrow(/no answer within|did not answer within/)
    // Each hung attempt was cut, and retried at most twice (fewer once the budget is spent);
    // the wide bound only says that it ended.
    const attempts = fake.requests.filter((r) => r.path.endsWith('/installation')).length
    expect([1, 2, 3]).toContain(attempts)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(outputs).toEqual({})
  })

  test('a hang on the first attempt is retried and then succeeds', async () => {
    fake.inject({ method: 'POST', path: /access_tokens$/, fault: { hang: true } })
    const { ctx, outputs } = testContext({ inputs: inputs(), http: { timeoutMs: 300 } })
    await mint(ctx)
    expect(outputs.token).toMatch(/^ghs_/)
  })
})

describe('mint: retries are bounded', () => {
  test('persistent 500s give up after the configured retries with the status', async () => {
    fake.inject({ method: 'GET', path: /installation$/, times: 100, fault: { status: 500 } })
    const { ctx, events } = testContext({ inputs: inputs() })
    await expect(mint(ctx)).rejects.toMatchObject({ status: 500 })
    expect(fake.requests).toHaveLength(3)
    const retries = events.filter((e) => e.kind === 'info' && /failed \(HTTP 500: /.test(e.value))
    expect(retries.map((e) => e.value.replace(/ \(.*\)/, ''))).toEqual([
      'GET /repos/octo-org/app/installation failed; retry 1 of 2 in 0.01 s',
      'GET /repos/octo-org/app/installation failed; retry 2 of 2 in 0.04 s'
    ])
  })

  test('a retry-after longer than the limit is not waited out', async () => {
    fake.inject({
      method: 'POST',
      path: /access_tokens$/,
      fault: { secondaryRateLimit: { retryAfter: 3600 } }
    })
    const { ctx } = testContext({ inputs: inputs() })
    await expect(mint(ctx)).rejects.toMatchObject({ status: 403 })
  })

  test('a 429 with retry-after is retried', async () => {
    fake.inject({ method: 'POST', path: /access_tokens$/, fault: { status: 429, retryAfter: 1 } })
    const { ctx, outputs } = testContext({ inputs: inputs() })
    await mint(ctx)
    expect(outputs.token).toMatch(/^ghs_/)
  })
})

describe('cleanup: transient errors are retried', () => {
  test('a 502 on revoke is retried and the token ends revoked', async () => {
    const first = testContext({ inputs: inputs() })
    await mint(first.ctx)
    fake.inject({ method: 'DELETE', path: '/installation/token', fault: { status: 502 } })
    const second = testContext({ inputs: inputs(), state: first.state })
    await cleanup(second.ctx)
    expect(fake.tokens.get(first.outputs.token!)!.revoked).toBe(true)
    expect(second.events.filter((e) => e.kind === 'warning')).toEqual([])
  })
})
