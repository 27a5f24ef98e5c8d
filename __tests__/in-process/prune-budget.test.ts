import type { PruneRequest } from '../../src/lib/requests.js'
import { LIST_BUDGET_MS, pruneBudgetMs } from '../../src/lib/prune/prune-budget.js'
import { pruneRunners } from '../../src/lib/prune/prune-runners.js'
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js'
import { mint, seedInstallations } from '../fake-github/test-client.js'
import { testContext } from '../harness/test-context.js'

/** The time a scheduled prune has for its fleet, and what it does when that runs out. */

describe('pruneBudgetMs: 2 s a stale runner, at least 25 s, at most 10 minutes', () => {
  test.each([
    [0, 25_000],
    [1, 25_000],
    [13, 26_000],
    [100, 200_000],
    [300, 600_000],
    [400, 600_000]
  ])('%i stale runners: %i ms', (runners, ms) => {
    expect(pruneBudgetMs(runners)).toBe(ms)
  })
})

describe('pruneRunners: the time runs out while a DELETE is on its way', () => {
  let fake: FakeGitHub
  beforeEach(async () => {
    fake = await startFakeGitHub()
    seedInstallations(fake)
  })
  afterEach(() => fake.close())

  test('that runner and the rest are left for the next run, not failed, and get no request', async () => {
    const created = Math.floor(Date.now() / 1000 - 3 * 3600).toString(36)
    const [first] = ['aaaaa1', 'aaaaa2'].map((hex) =>
      fake.addRunner({ scope: { org: 'octo-org' }, name: `mint-token-${created}-1-1-${hex}` })
    )
    fake.inject({ method: 'DELETE', path: /\/runners\/\d+$/, fault: { hang: true } })
    const { ctx } = testContext({ http: { timeoutMs: 10_000 } })
    const token = await mint(fake, 1000, {
      permissions: { organization_self_hosted_runners: 'write' }
    })
    const asked: number[] = []
    // The budgets the prune asks for are recorded; each client gets 3 s instead, ample on a
    // loaded machine for the list and the GET, and used up by the hung DELETE.
    const withBudget = (budgetMs: number) => {
      asked.push(budgetMs)
      return ctx.github.withBudget(3_000).asToken(fake.url, token)
    }
    const log: string[] = []
    const logger = {
      info: (m: string) => log.push(m),
      warning: (m: string) => log.push(`warning: ${m}`)
    }
    const inputs: PruneRequest = {
      kind: 'selection',
      target: { owner: 'octo-org' },
      scope: { kind: 'org', org: 'octo-org' },
      dryRun: false,
      selection: {
        prefix: 'mint-token',
        labels: [],
        olderThanMs: 3_600_000,
        includeUnknownAge: false
      }
    }
    const result = await pruneRunners(ctx.github.asToken(fake.url, token), inputs, {
      logger,
      now: () => Date.now(),
      withBudget
    })
    expect(asked).toEqual([LIST_BUDGET_MS, pruneBudgetMs(2)])
    expect(result).toMatchObject({ removed: [], kept: 0, left: 2, failed: [] })
    expect(result.considered.map((r) => [r.decision, r.reason])).toEqual([
      ['left for the next run', 'the time for this prune ran out before its DELETE was answered'],
      ['left for the next run', 'the time for this prune ran out before its turn']
    ])
    const runnerRequests = fake.requests.filter((r) => /\/runners\/\d+$/.test(r.path))
    expect(runnerRequests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /orgs/octo-org/actions/runners/${first!.id}`,
      `DELETE /orgs/octo-org/actions/runners/${first!.id}`
    ])
    expect(log.slice(-2)).toEqual([
      'warning: The time for this prune ran out (25 s for 2 stale runners): 2 runners left for the next run. That is no failure: the next run removes them, and a more frequent schedule keeps up with a fleet this size.',
      'Removed 0, kept 0, failed 0, 2 runners left for the next run.'
    ])
  })
})
