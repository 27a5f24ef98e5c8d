import { parseInputs } from '../../src/action/inputs/parse-inputs.js'
import { withRunnerAdminToken } from '../../src/lib/runners/with-runner-admin-token.js'
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js'
import { testContext } from '../harness/test-context.js'
import { expectAllRevoked } from '../harness/expect-all-revoked.js'

/** In-process: clean-up runs on a deadline of its own, which bounds it as well (issue 8, item 3). */

let fake: FakeGitHub
beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { organization_self_hosted_runners: 'write' }
  })
})
afterEach(async () => fake.close())

const recorded = (http: Parameters<typeof testContext>[0]['http'], now?: () => number) =>
  testContext({
    inputs: {
      'app-id': String(fake.app.id),
      'private-key': fake.app.privateKey,
      'github-api-url': fake.url,
      owner: 'octo-org',
      'token-type': 'runner-registration'
    },
    http,
    now
  })

describe('clean-up has its own bounded time', () => {
  test('a step whose budget is spent still revokes the intermediate token', async () => {
    // The runner's clock jumps past the step's budget while the work runs (no real waiting, so a
    // busy machine can't spend the budget before the work starts): any request of the step now
    // fails before it is sent, yet the clean-up, on a deadline of its own, still revokes.
    let jumped = 0
    const { ctx, events } = recorded({ budgetMs: 10_000 }, () => Date.now() + jumped)
    const inputs = parseInputs(ctx) as Parameters<typeof withRunnerAdminToken>[1]
    await withRunnerAdminToken(ctx, inputs, () => {
      jumped = 60_000
      return Promise.resolve()
    })
    expect(events.filter((e) => e.kind === 'warning')).toEqual([])
    expect(fake.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/installation/token' })
    expectAllRevoked(fake)
  })

  test('a hung revocation gives up within the clean-up budget, with a warning', async () => {
    fake.inject({ method: 'DELETE', path: '/installation/token', times: 10, fault: { hang: true } })
    const { ctx, events } = recorded({ budgetMs: 60_000, cleanupBudgetMs: 1_000 })
    const inputs = parseInputs(ctx) as Parameters<typeof withRunnerAdminToken>[1]
    const started = Date.now()
    await withRunnerAdminToken(ctx, inputs, () => Promise.resolve())
    // Bounded by the clean-up's 1 s budget, not the step's 60 s (a wide margin for a busy machine).
    expect(Date.now() - started).toBeLessThan(10_000)
    const warnings = events.filter((e) => e.kind === 'warning').map((e) => e.value)
    expect(warnings).toEqual([
      expect.stringMatching(
        /^Could not revoke the intermediate installation token \(no answer within \d+ ms\); it expires at \d{4}-\d\d-\d\dT[\d:]+Z\.$/
      )
    ])
    // The attempt that gave up was cut by the clean-up's own timing (300 ms attempts in a 1 s
    // budget), not by the step's 2 s attempts: read from the message, not from a stopwatch.
    expect(Number(/within (\d+) ms/.exec(warnings[0]!)![1])).toBeLessThanOrEqual(1_000)
  })
})
