import type { FakeGitHub } from '../../fake-github/server.js'
import { runnerCreatedAt } from '../../../src/lib/prune/runner-created-at.js'
import { expectAllRevoked } from '../../harness/expect-all-revoked.js'
import * as fleet from '../../harness/prune-fleet.js'
import { generated, HOUR, removed } from '../../harness/prune-fleet.js'
import { expectRefused, newJob, runAction, runStep, type Job } from '../../harness/run-action.js'

/**
 * prune-runners (the bundled dist/prune-runners) on the fleets of issue 13: names under a longer
 * or a shorter prefix, a runner clock hours off, a runner that takes a job at its DELETE, and a
 * fleet larger than the prune's time.
 */
let fake: FakeGitHub
let job: Job

beforeEach(async () => {
  fake = await fleet.startPruneFake()
  job = newJob(fake.url)
})
afterEach(async () => fake.close())

const seed = (runners: Parameters<typeof fleet.seed>[1]) => fleet.seed(fake, runners)
const prune = (inputs: Record<string, string> = {}) => fleet.prune(fake, job, inputs)
/** The log line of one runner, as the step prints it. */
const lineOf = (stdout: string, id: number) =>
  stdout.split('\n').find((line) => line.includes(` (id ${id}): `))

describe('prune-runners: names and prefixes', () => {
  test('a name under a longer prefix tells its age: a booting runner stays, even with include-unknown-age', async () => {
    const [booting, old] = seed([
      { name: generated(60_000, 'aaaaa1', 'mint-token-gpu') },
      { name: generated(3 * HOUR, 'aaaaa2', 'mint-token-gpu') }
    ])
    const step = await prune({ 'include-unknown-age': 'true' })
    expect(step.exitCode).toBe(0)
    expect(removed(step)).toEqual([{ id: old!.id, name: old!.name }])
    expect(step.outputs.kept).toBe('1')
    expect(lineOf(step.stdout, booting!.id)).toMatch(
      /: kept, younger than 1h \(age \d+m( \d+s)?\)\.$/
    )
    expect(fake.runners.map((r) => r.id)).toEqual([booting!.id])
  })

  test('a name under a prefix of the prefix is not touched, however old, even at 64 characters', async () => {
    // The 64-character one is what the generator once wrote by shortening a longer prefix.
    const long = generated(3 * HOUR, 'bbbbb1', 'mint').replace('-4242-', `-${'9'.repeat(43)}-`)
    expect(long).toHaveLength(64)
    const [short, full, own] = seed([
      { name: generated(3 * HOUR, 'bbbbb2', 'mint') },
      { name: long },
      { name: generated(3 * HOUR, 'bbbbb3') }
    ])
    const step = await prune({ 'include-unknown-age': 'true' })
    expect(step.exitCode).toBe(0)
    expect(removed(step)).toEqual([{ id: own!.id, name: own!.name }])
    expect(fleet.deletes(fake).map((r) => r.path)).toEqual([
      `/orgs/octo-org/actions/runners/${own!.id}`
    ])
    for (const name of [short!.name, full!.name]) {
      expect(step.stdout).not.toContain(name)
      expect(step.summary).not.toContain(name)
    }
  })

  test('a prefix too long for the generator is refused before any request, in both actions', async () => {
    const prefix = 'x'.repeat(33)
    const message = `Input 'runner-name-prefix' is '${prefix}'; expected up to 32 letters, digits, '.', '_' or '-'.`
    const step = await prune({ 'runner-name-prefix': prefix })
    expectRefused(step, message)
    const main = await runStep(job, 'main', {
      'app-id': String(fake.app.id),
      'private-key': fake.app.privateKey,
      owner: 'octo-org',
      'token-type': 'runner-jit',
      'runner-labels': 'self-hosted',
      'runner-name-prefix': prefix
    })
    expectRefused(main, message)
    expect(fake.requests).toEqual([])
  })
})

describe("prune-runners: ages on GitHub's clock", () => {
  test('a runner clock two hours fast does not make a five-minute-old runner stale', async () => {
    fake.clockSkewMs = -2 * HOUR
    const githubNow = Date.now() + fake.clockSkewMs
    const [young, old] = seed([
      { name: generated(5 * 60_000, 'ccccc1', 'mint-token', githubNow) },
      { name: generated(3 * HOUR, 'ccccc2', 'mint-token', githubNow) }
    ])
    const step = await prune()
    expect(step.exitCode).toBe(0)
    expect(removed(step)).toEqual([{ id: old!.id, name: old!.name }])
    expect(lineOf(step.stdout, young!.id)).toMatch(
      /: kept, younger than 1h \(age \d+m( \d+s)?\)\.$/
    )
    expect(fake.runners.map((r) => r.id)).toEqual([young!.id])
    expectAllRevoked(fake)
  })

  test("a generated name carries GitHub's time, not the runner's", async () => {
    fake.clockSkewMs = -2 * HOUR
    const { main } = await runAction(job, {
      'app-id': String(fake.app.id),
      'private-key': fake.app.privateKey,
      owner: 'octo-org',
      'token-type': 'runner-jit',
      'runner-labels': 'self-hosted'
    })
    expect(main.exitCode).toBe(0)
    const createdAt = runnerCreatedAt(main.outputs['runner-name']!)!
    const githubNow = Date.now() + fake.clockSkewMs
    expect(Math.abs(githubNow - createdAt)).toBeLessThan(10 * 60_000)
  })
})

describe('prune-runners: a runner that takes a job at its DELETE', () => {
  test("GitHub's 422 keeps it: busy at deletion, not a failure", async () => {
    const [busy, other] = seed([
      { name: generated(3 * HOUR, 'ddddd1') },
      { name: generated(3 * HOUR, 'ddddd2') }
    ])
    // It takes a job after the check right before its DELETE: the fake then answers 422.
    fake.onRequest({
      method: 'DELETE',
      path: `/orgs/octo-org/actions/runners/${busy!.id}`,
      run: () => fake.setRunner(busy!.id, { status: 'online', busy: true })
    })
    const step = await prune()
    expect(step.exitCode).toBe(0)
    expect(step.errors).toEqual([])
    expect(step.warnings).toEqual([])
    expect(removed(step)).toEqual([{ id: other!.id, name: other!.name }])
    expect(step.outputs.kept).toBe('1')
    expect(lineOf(step.stdout, busy!.id)).toBe(
      `${busy!.name} (id ${busy!.id}): busy at deletion, it took a job since the check: GitHub refused the DELETE (HTTP 422) (age 3h).`
    )
    expect(step.summary).toContain('<td>busy at deletion</td>')
  })
})

describe('prune-runners: a fleet larger than the time for it', () => {
  test('stops sending requests, says how many are left for the next run, and does not fail', async () => {
    const stale = seed(
      Array.from({ length: 8 }, (_, i) => ({ name: generated(3 * HOUR, `eeeee${i}`) }))
    )
    // 2.5 s a request, 5 s a runner (its check and its DELETE): 8 runners need 40 s, and their
    // budget is 25 s (the floor; 8 × 2 s is less). The list and the token are not slowed.
    fake.inject({ path: /\/actions\/runners\/\d+$/, times: 100, fault: { latencyMs: 2_500 } })
    const step = await prune()
    expect(step.exitCode).toBe(0)
    expect(step.errors).toEqual([])
    const gone = removed(step)
    const left = Number(step.outputs.left)
    expect(gone.length).toBeGreaterThan(0)
    expect(left).toBeGreaterThan(0)
    expect(gone.length + left).toBe(8)
    const leftLine = `${left} runner${left === 1 ? '' : 's'} left for the next run`
    expect(step.stdout).toContain(`Removed ${gone.length}, kept 0, failed 0, ${leftLine}.`)
    expect(step.warnings).toEqual([
      `The time for this prune ran out (25 s for 8 stale runners): ${leftLine}. That is no failure: the next run removes them, and a more frequent schedule keeps up with a fleet this size.`
    ])
    expect(step.summary).toContain(`${leftLine}</h3>`)
    // Removed in order; after the one the time ran out on, no runner got a request.
    expect(gone.map((r) => r.id)).toEqual(stale.slice(0, gone.length).map((r) => r.id))
    const touched = new Set(
      fake.requests.filter((r) => /\/runners\/\d+$/.test(r.path)).map((r) => r.path)
    )
    expect(touched.size).toBeLessThanOrEqual(gone.length + 1)
    for (const runner of stale.slice(gone.length)) {
      expect(lineOf(step.stdout, runner.id)).toMatch(/: left for the next run, the time for/)
    }
    expect(step.summary.match(/<td>left for the next run<\/td>/g)).toHaveLength(left)
    expectAllRevoked(fake)
  }, 120_000)
})
