import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { newJob, type Job } from '../../harness/run-action.js'
import { expectAllRevoked } from '../../harness/expect-all-revoked.js'
import * as fleet from '../../harness/prune-fleet.js'
import { generated, HOUR, removed } from '../../harness/prune-fleet.js'

/** The prune-runners sub-action (prune-runners/action.yml, dist/prune-runners) against the fake. */
let fake: FakeGitHub
let job: Job

beforeEach(async () => {
  fake = await fleet.startPruneFake()
  job = newJob(fake.url)
})
afterEach(async () => fake.close())

const seed = (runners: Parameters<typeof fleet.seed>[1]) => fleet.seed(fake, runners)
const prune = (inputs: Record<string, string> = {}) => fleet.prune(fake, job, inputs)
const deletes = () => fleet.deletes(fake)

describe('prune-runners: a fleet in every state', () => {
  test('removes only old, offline, idle runners with the prefix and labels', async () => {
    const [oldOffline] = seed([
      { name: generated(3 * HOUR, 'aaaaa1'), labels: ['self-hosted', 'gpu'] },
      { name: generated(10 * 60_000, 'aaaaa2'), labels: ['self-hosted', 'gpu'] },
      { name: generated(3 * HOUR, 'aaaaa3'), status: 'online', labels: ['self-hosted', 'gpu'] },
      {
        name: generated(3 * HOUR, 'aaaaa4'),
        status: 'online',
        busy: true,
        labels: ['self-hosted', 'gpu']
      },
      { name: generated(3 * HOUR, 'aaaaa5'), busy: true, labels: ['self-hosted', 'gpu'] },
      { name: generated(3 * HOUR, 'aaaaa6', 'other-fleet'), labels: ['self-hosted', 'gpu'] },
      { name: 'mint-token-handmade', labels: ['self-hosted', 'gpu'] },
      { name: generated(3 * HOUR, 'aaaaa7'), labels: ['self-hosted'] }
    ])
    const step = await prune({ 'runner-labels': 'gpu' })
    expect(step.exitCode).toBe(0)
    expect(removed(step)).toEqual([{ id: oldOffline!.id, name: oldOffline!.name }])
    expect(step.outputs.kept).toBe('5')
    expect(deletes().map((r) => r.path)).toEqual([
      `/orgs/octo-org/actions/runners/${oldOffline!.id}`
    ])
    expect(fake.runners.map((r) => r.id)).not.toContain(oldOffline!.id)
    // The audit trail: one log line and one summary row per runner considered.
    for (const name of [oldOffline!.name, 'mint-token-handmade']) {
      expect(step.stdout).toContain(name)
      expect(step.summary).toContain(`<td><code>${name}</code></td>`)
    }
    expect(step.summary).toContain('<th>Decision</th>')
    expect(step.summary).not.toContain('other-fleet')
    expectAllRevoked(fake)
  })

  test('include-unknown-age also removes prefixed runners whose name carries no time', async () => {
    const [handmade] = seed([{ name: 'mint-token-handmade' }])
    const step = await prune({ 'include-unknown-age': 'true' })
    expect(step.exitCode).toBe(0)
    expect(removed(step)).toEqual([{ id: handmade!.id, name: 'mint-token-handmade' }])
  })
})

describe('prune-runners: 250 runners', () => {
  test('pages through all of them, 100 a page, following the Link header', async () => {
    const runners = seed(
      Array.from({ length: 250 }, (_, i) => ({
        name: generated(i >= 240 ? 3 * HOUR : 60_000, i.toString(16).padStart(6, '0'))
      }))
    )
    const step = await prune()
    expect(step.exitCode).toBe(0)
    const pages = fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/runners'))
    // The first request carries no page; the next ones are the fake's `rel="next"` links.
    expect(pages.map((r) => [r.query.per_page, r.query.page])).toEqual([
      ['100', undefined],
      ['100', '2'],
      ['100', '3']
    ])
    expect(removed(step)).toEqual(runners.slice(240).map(({ id, name }) => ({ id, name })))
    expect(step.outputs.kept).toBe('240')
  })
})

describe('prune-runners: dry run', () => {
  test('decides and reports, deletes nothing', async () => {
    const [old] = seed([{ name: generated(3 * HOUR, 'bbbbb1') }])
    const step = await prune({ 'dry-run': 'true' })
    expect(step.exitCode).toBe(0)
    expect(removed(step)).toEqual([{ id: old!.id, name: old!.name }])
    expect(deletes()).toEqual([])
    expect(fake.runners).toHaveLength(1)
    expect(step.stdout).toContain('Dry run: nothing is removed.')
    expect(step.summary).toContain('(dry run)')
  })
})

describe('prune-runners: one named runner', () => {
  test("'runner-id' removes exactly that runner, online and young", async () => {
    const [young] = seed([
      { name: generated(60_000, 'ccccc1'), status: 'online' },
      { name: generated(3 * HOUR, 'ccccc2') }
    ])
    const step = await prune({ 'runner-id': String(young!.id) })
    expect(step.exitCode).toBe(0)
    expect(removed(step)).toEqual([{ id: young!.id, name: young!.name }])
    expect(fake.runners).toHaveLength(1)
  })

  test("'runner-name' removes exactly that runner, whatever its prefix", async () => {
    seed([{ name: 'build-box-7' }, { name: generated(3 * HOUR, 'ccccc3') }])
    const step = await prune({ 'runner-name': 'build-box-7' })
    expect(step.exitCode).toBe(0)
    expect(removed(step)).toEqual([{ id: 1, name: 'build-box-7' }])
    expect(fake.runners.map((r) => r.name)).not.toContain('build-box-7')
  })

  test('a busy named runner is never removed: a clear error that names it', async () => {
    const [busy] = seed([{ name: 'build-box-8', status: 'online', busy: true }])
    const step = await prune({ 'runner-name': 'build-box-8' })
    expect(step.exitCode).toBe(1)
    expect(step.errors).toEqual([
      `Runner 'build-box-8' (id ${busy!.id}) is running a job, so it was not removed: a busy runner is never removed. Run this again once its job is done, or cancel the job first.`
    ])
    expect(deletes()).toEqual([])
    expectAllRevoked(fake)
  })
})

describe('prune-runners: runners that change between the list and the DELETE', () => {
  test('one deleted elsewhere is already gone, which is fine', async () => {
    const [first, second] = seed([
      { name: generated(3 * HOUR, 'ddddd1') },
      { name: generated(3 * HOUR, 'ddddd2') }
    ])
    fake.onRequest({
      method: 'GET',
      path: `/orgs/octo-org/actions/runners/${first!.id}`,
      run: () => fake.removeRunner(first!.id)
    })
    const step = await prune()
    expect(step.exitCode).toBe(0)
    expect(removed(step)).toEqual([{ id: second!.id, name: second!.name }])
    expect(step.warnings).toEqual([])
  })

  test('one that turns busy is kept, after a fresh GET', async () => {
    const [first, second] = seed([
      { name: generated(3 * HOUR, 'eeeee1') },
      { name: generated(3 * HOUR, 'eeeee2') }
    ])
    fake.onRequest({
      method: 'GET',
      path: `/orgs/octo-org/actions/runners/${first!.id}`,
      run: () => fake.setRunner(first!.id, { status: 'online', busy: true })
    })
    const step = await prune()
    expect(step.exitCode).toBe(0)
    expect(removed(step)).toEqual([{ id: second!.id, name: second!.name }])
    expect(step.outputs.kept).toBe('1')
    expect(fake.runners.map((r) => r.id)).toEqual([first!.id])
  })
})

describe('prune-runners: errors', () => {
  test('a failed DELETE warns, the others are still removed, and the step fails at the end', async () => {
    const [first, second] = seed([
      { name: generated(3 * HOUR, 'fffff1') },
      { name: generated(3 * HOUR, 'fffff2') }
    ])
    fleet.failDeleteOf(fake, first!.id)
    const step = await prune()
    expect(step.exitCode).toBe(1)
    expect(step.warnings.some((w) => w.includes(first!.name))).toBe(true)
    expect(removed(step)).toEqual([{ id: second!.id, name: second!.name }])
    expect(step.errors).toHaveLength(1)
    expect(step.errors[0]).toMatch(/^1 runner\(s\) could not be removed: /)
    expectAllRevoked(fake)
  })

  test('an installation without the runner permission fails before minting, naming it', async () => {
    await fake.close()
    fake = await startFakeGitHub()
    fake.addInstallation({
      account: 'octo-org',
      repositories: ['app'],
      permissions: { metadata: 'read' }
    })
    job = newJob(fake.url)
    const step = await prune()
    expect(step.exitCode).toBe(1)
    expect(step.errors[0]).toContain('organization_self_hosted_runners: write')
    expect(fake.tokens.size).toBe(0)
  })
})
