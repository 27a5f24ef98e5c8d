import type { PruneRequest, RunnerSelection } from '../../src/lib/requests.js'
import { GitHub } from '@actions/github/lib/utils'
import type { GitHubClient } from '../../src/lib/transport/client-deps.js'
import { pruneRunners } from '../../src/lib/prune/prune-runners.js'
import { startFakeGitHub, type AddRunner, type FakeGitHub } from '../fake-github/server.js'
import { mint, seedInstallations } from '../fake-github/test-client.js'
import { startManInTheMiddle } from '../harness/man-in-the-middle.js'

/** A fixed clock: every name below is dated relative to it. */
const NOW = Date.UTC(2026, 10, 23, 17, 0, 0)
const HOUR = 3_600_000
const ORG = { org: 'octo-org' }
const ORG_SCOPE = { kind: 'org', org: 'octo-org' } as const

/** A name as mint-token generates it, created `ageMs` before NOW. */
const generated = (ageMs: number, hex: string, prefix = 'mint-token') =>
  `${prefix}-${Math.floor((NOW - ageMs) / 1000).toString(36)}-4242-1-${hex}`

const selection = (patch: Partial<RunnerSelection> = {}): RunnerSelection => ({
  prefix: 'mint-token',
  labels: [],
  olderThanMs: HOUR,
  includeUnknownAge: false,
  ...patch
})
const selecting = (patch: Partial<RunnerSelection> = {}, dryRun = false): PruneRequest => ({
  kind: 'selection',
  target: { owner: 'octo-org' },
  scope: ORG_SCOPE,
  dryRun,
  selection: selection(patch)
})

let fake: FakeGitHub
let github: GitHubClient
let log: string[]

beforeEach(async () => {
  fake = await startFakeGitHub()
  seedInstallations(fake)
  github = await client({ organization_self_hosted_runners: 'write' })
  log = []
})
afterEach(() => fake.close())

async function client(permissions: Record<string, string>, repositories?: string[]) {
  const token = await mint(fake, 1000, { permissions, repositories })
  return new GitHub({ auth: token, baseUrl: fake.url })
}

const options = {
  logger: {
    info: (message: string) => void log.push(message),
    warning: (message: string) => void log.push(`warning: ${message}`)
  },
  now: () => NOW
}
const prune = (inputs: PruneRequest, octokit: GitHubClient = github) =>
  pruneRunners(octokit, inputs, options)

/** The runner API requests the prune made, as `METHOD path?query`. */
const requests = () =>
  fake.requests
    .filter((r) => r.path.includes('/actions/runners'))
    .map((r) => {
      const query = new URLSearchParams(r.query).toString()
      return `${r.method} ${r.path}${query ? `?${query}` : ''} → ${r.status}`
    })

const seed = (runners: Array<Omit<AddRunner, 'scope'>>) =>
  runners.map((r) => fake.addRunner({ labels: ['self-hosted', 'linux'], ...r, scope: ORG }))

describe('pruneRunners: a fleet in every state', () => {
  const fleet = () =>
    seed([
      { name: generated(3 * HOUR, 'aaaaa1'), status: 'online' },
      { name: generated(3 * HOUR, 'aaaaa2'), status: 'online', busy: true },
      { name: generated(3 * HOUR, 'aaaaa3') },
      { name: generated(10 * 60_000, 'aaaaa4') },
      { name: generated(3 * HOUR, 'aaaaa5'), busy: true },
      { name: generated(3 * HOUR, 'aaaaa6', 'other') },
      { name: 'mint-token-build-box' },
      { name: generated(3 * HOUR, 'aaaaa8'), labels: ['self-hosted', 'windows'] }
    ])

  test('removes only the offline, idle, old runner that matches prefix and labels', async () => {
    const [, , old] = fleet()
    fake.addRunner({
      name: generated(3 * HOUR, 'bbbbb1'),
      scope: { owner: 'octo-org', repo: 'app' }
    })
    const result = await prune(selecting({ labels: ['linux'] }))
    expect(result.removed).toEqual([{ id: old?.id, name: old?.name }])
    expect(result.kept).toBe(5)
    expect(result.failed).toEqual([])
    expect(result.considered.map((r) => [r.id, r.decision, r.reason])).toEqual([
      [1, 'kept', 'online'],
      [2, 'kept', 'busy'],
      [3, 'removed', 'offline and older than 1h'],
      [4, 'kept', 'younger than 1h'],
      [5, 'kept', 'busy'],
      [7, 'kept', 'age unknown (no timestamp in name)']
    ])
    expect(result.considered[2]).toEqual({
      id: 3,
      name: generated(3 * HOUR, 'aaaaa3'),
      status: 'offline',
      busy: false,
      labels: ['self-hosted', 'linux'],
      ageMs: 3 * HOUR,
      decision: 'removed',
      reason: 'offline and older than 1h'
    })
    expect(log).toEqual([
      "Listed 8 runners of organization 'octo-org': 6 match prefix 'mint-token' and labels 'linux', 2 others are left alone.",
      `${generated(3 * HOUR, 'aaaaa1')} (id 1): kept, online (age 3h).`,
      `${generated(3 * HOUR, 'aaaaa2')} (id 2): kept, busy (age 3h).`,
      `${generated(3 * HOUR, 'aaaaa3')} (id 3): removed, offline and older than 1h (age 3h).`,
      `${generated(10 * 60_000, 'aaaaa4')} (id 4): kept, younger than 1h (age 10m).`,
      `${generated(3 * HOUR, 'aaaaa5')} (id 5): kept, busy (age 3h).`,
      'mint-token-build-box (id 7): kept, age unknown (no timestamp in name).',
      'Removed 1, kept 5, failed 0.'
    ])
    expect(requests()).toEqual([
      'GET /orgs/octo-org/actions/runners?per_page=100 → 200',
      'GET /orgs/octo-org/actions/runners/3 → 200',
      'DELETE /orgs/octo-org/actions/runners/3 → 204'
    ])
    expect(fake.runners.map((r) => r.id)).toEqual([1, 2, 4, 5, 6, 7, 8, 9])
  })

  test('include-unknown-age also removes the offline runner without a time in its name', async () => {
    fleet()
    const result = await prune(selecting({ includeUnknownAge: true }))
    expect(result.removed.map((r) => r.name)).toEqual([
      generated(3 * HOUR, 'aaaaa3'),
      'mint-token-build-box',
      generated(3 * HOUR, 'aaaaa8')
    ])
    expect(result.considered.find((r) => r.id === 7)?.reason).toBe(
      'offline, age unknown (no timestamp in name; include-unknown-age)'
    )
  })

  test('dry run: decides and reports the same, and deletes nothing', async () => {
    fleet()
    const result = await prune(selecting({ labels: ['linux'] }, true))
    expect(result.removed).toEqual([{ id: 3, name: generated(3 * HOUR, 'aaaaa3') }])
    expect(result.kept).toBe(5)
    expect(result.considered[2]).toMatchObject({
      decision: 'would remove',
      reason: 'offline and older than 1h (dry run)'
    })
    expect(log[0]).toBe('Dry run: nothing is removed.')
    expect(log).toContain(
      `${generated(3 * HOUR, 'aaaaa3')} (id 3): would remove, offline and older than 1h (dry run) (age 3h).`
    )
    expect(log.at(-1)).toBe('Would remove 1, kept 5, failed 0.')
    expect(requests()).toEqual(['GET /orgs/octo-org/actions/runners?per_page=100 → 200'])
    expect(fake.runners).toHaveLength(8)
  })
})

describe('pruneRunners: foreign text', () => {
  test('a runner name or label with line breaks cannot start a workflow command in the log', async () => {
    seed([{ name: 'mint-token-\n::add-mask::x\u001b[2K', labels: ['gpu\r\n::error::pwned'] }])
    await prune(selecting({ labels: ['gpu\r\n::error::pwned'] }))
    expect(log).toEqual([
      "Listed 1 runner of organization 'octo-org': 1 match prefix 'mint-token' and labels 'gpu  ::error::pwned', 0 others are left alone.",
      'mint-token- ::add-mask::x [2K (id 1): kept, age unknown (no timestamp in name).',
      'Removed 0, kept 1, failed 0.'
    ])
  })
})

describe('pruneRunners: 250 runners', () => {
  test('follows the Link header through all of them, 100 a page, and removes every old offline one', async () => {
    const runners = seed(
      Array.from({ length: 250 }, (_, i) => ({
        name: generated(2 * HOUR, i.toString(16).padStart(6, '0')),
        status: i % 10 === 0 ? ('online' as const) : ('offline' as const)
      }))
    )
    const result = await prune(selecting())
    expect(result.removed).toHaveLength(225)
    expect(result.kept).toBe(25)
    expect(result.considered).toHaveLength(250)
    expect(requests().filter((r) => r.includes('per_page'))).toEqual([
      'GET /orgs/octo-org/actions/runners?per_page=100 → 200',
      'GET /orgs/octo-org/actions/runners?per_page=100&page=2 → 200',
      'GET /orgs/octo-org/actions/runners?per_page=100&page=3 → 200'
    ])
    expect(requests().filter((r) => r.startsWith('DELETE'))).toHaveLength(225)
    expect(fake.runners.map((r) => r.id)).toEqual(
      runners.filter((_, i) => i % 10 === 0).map((r) => r.id)
    )
    expect(log).toHaveLength(252)
    expect(log.at(-1)).toBe('Removed 225, kept 25, failed 0.')
  })

  test('a full last page of exactly 100 has no next link, so no empty page is asked for', async () => {
    seed(Array.from({ length: 200 }, (_, i) => ({ name: `mint-token-hand-${i}` })))
    const result = await prune(selecting())
    expect(result.kept).toBe(200)
    expect(requests()).toHaveLength(2)
  })

  test('a server that never stops sending a next link is read for 100 pages, then no more', async () => {
    seed([{ name: 'mint-token-hand-0' }])
    const mitm = await startManInTheMiddle(fake.url)
    const next = `<${mitm.url}/orgs/octo-org/actions/runners?per_page=100&page=2>; rel="next"`
    mitm.intercept({
      path: '/orgs/octo-org/actions/runners',
      times: 1000,
      rewrite: (reply) => ({ headers: { ...reply.headers, link: next } })
    })
    const token = await mint(fake, 1000, {
      permissions: { organization_self_hosted_runners: 'write' }
    })
    try {
      const result = await prune(selecting(), new GitHub({ auth: token, baseUrl: mitm.url }))
      expect(result.kept).toBe(1)
    } finally {
      await mitm.close()
    }
    expect(requests()).toHaveLength(100)
    expect(requests().slice(0, 2)).toEqual([
      'GET /orgs/octo-org/actions/runners?per_page=100 → 200',
      'GET /orgs/octo-org/actions/runners?per_page=100&page=2 → 200'
    ])
  })
})

describe('pruneRunners: runners that change between the list and the DELETE', () => {
  const threeOld = () =>
    seed([
      { name: generated(3 * HOUR, 'ccccc1') },
      { name: generated(3 * HOUR, 'ccccc2') },
      { name: generated(3 * HOUR, 'ccccc3') }
    ])

  test('one deleted elsewhere after the list is already gone, which is fine', async () => {
    const [, second] = threeOld()
    fake.onRequest({
      method: 'GET',
      path: `/orgs/octo-org/actions/runners/${second?.id}`,
      run: () => fake.removeRunner(second?.id ?? 0)
    })
    const result = await prune(selecting())
    expect(result.removed.map((r) => r.id)).toEqual([1, 3])
    expect(result.failed).toEqual([])
    expect(result.considered[1]).toMatchObject({
      decision: 'already gone',
      reason: 'removed elsewhere since the list (404 at the check before its DELETE)'
    })
    expect(log).toContain(
      `${second?.name} (id 2): already gone, removed elsewhere since the list (404 at the check before its DELETE) (age 3h).`
    )
    expect(log.at(-1)).toBe('Removed 2, kept 0, failed 0, 1 already gone.')
    expect(requests()).not.toContain('DELETE /orgs/octo-org/actions/runners/2 → 404')
  })

  test('one deleted elsewhere between its check and its DELETE is already gone too', async () => {
    const [first] = threeOld()
    fake.onRequest({
      method: 'DELETE',
      path: `/orgs/octo-org/actions/runners/${first?.id}`,
      run: () => fake.removeRunner(first?.id ?? 0)
    })
    const result = await prune(selecting())
    expect(result.considered[0]).toMatchObject({
      decision: 'already gone',
      reason: 'removed elsewhere since the list (its DELETE answered 404)'
    })
    expect(result.removed.map((r) => r.id)).toEqual([2, 3])
  })

  test('one that turns busy after the list is kept, and never gets a DELETE', async () => {
    const [first] = threeOld()
    fake.onRequest({
      method: 'GET',
      path: `/orgs/octo-org/actions/runners/${first?.id}`,
      run: () => fake.setRunner(first?.id ?? 0, { status: 'online', busy: true })
    })
    const result = await prune(selecting())
    expect(result.kept).toBe(1)
    expect(result.considered[0]).toMatchObject({
      status: 'online',
      busy: true,
      decision: 'kept',
      reason: 'busy, seen at the check before its DELETE'
    })
    expect(log[1]).toBe(
      `${first?.name} (id 1): kept, busy, seen at the check before its DELETE (age 3h).`
    )
    expect(requests()).not.toContain('DELETE /orgs/octo-org/actions/runners/1 → 204')
    expect(fake.runners.map((r) => r.id)).toEqual([1])
  })

  test('one that takes a job between its check and its DELETE is busy at deletion (GitHub’s 422)', async () => {
    const [first] = threeOld()
    fake.onRequest({
      method: 'DELETE',
      path: `/orgs/octo-org/actions/runners/${first?.id}`,
      run: () => fake.setRunner(first?.id ?? 0, { status: 'online', busy: true })
    })
    const result = await prune(selecting())
    expect(result.considered[0]).toMatchObject({
      decision: 'busy at deletion',
      reason: 'it took a job since the check: GitHub refused the DELETE (HTTP 422)'
    })
    expect(result.removed.map((r) => r.id)).toEqual([2, 3])
    expect(result.kept).toBe(1)
    expect(result.failed).toEqual([])
  })
})

describe('pruneRunners: failures', () => {
  test('a DELETE that fails (HTTP 500) is a warning and a failure; the others are still removed', async () => {
    const [, second] = seed([
      { name: generated(3 * HOUR, 'ddddd1') },
      { name: generated(3 * HOUR, 'ddddd2') },
      { name: generated(3 * HOUR, 'ddddd3') }
    ])
    fake.inject({
      method: 'DELETE',
      path: `/orgs/octo-org/actions/runners/${second?.id}`,
      fault: { status: 500 }
    })
    const result = await prune(selecting())
    expect(result.removed.map((r) => r.id)).toEqual([1, 3])
    expect(result.failed).toEqual([
      {
        id: 2,
        name: second?.name,
        reason: 'HTTP 500: Internal Server Error - https://docs.github.com/rest'
      }
    ])
    expect(log.filter((line) => line.startsWith('warning: '))).toEqual([
      `warning: ${second?.name} (id 2): not removed, HTTP 500: Internal Server Error - https://docs.github.com/rest. The other runners are still processed; the step fails at the end.`
    ])
    expect(log.at(-1)).toBe('Removed 2, kept 0, failed 1.')
    expect(fake.runners.map((r) => r.id)).toEqual([2])
  })

  test('a check before the DELETE that fails (HTTP 502) is a failure for that runner only', async () => {
    seed([{ name: generated(3 * HOUR, 'ddddd1') }, { name: generated(3 * HOUR, 'ddddd2') }])
    fake.inject({ method: 'GET', path: '/orgs/octo-org/actions/runners/1', fault: { status: 502 } })
    const result = await prune(selecting())
    expect(result.failed).toEqual([
      {
        id: 1,
        name: generated(3 * HOUR, 'ddddd1'),
        reason: 'could not look at it again: HTTP 502: Server Error - https://docs.github.com/rest'
      }
    ])
    expect(result.removed.map((r) => r.id)).toEqual([2])
    expect(requests()).not.toContain('DELETE /orgs/octo-org/actions/runners/1 → 204')
  })

  test('403 on the list: the organization runner permission, named', async () => {
    seed([{ name: generated(3 * HOUR, 'eeeee1') }])
    const contentsOnly = await client({ contents: 'read' })
    await expect(prune(selecting(), contentsOnly)).rejects.toThrow(
      new Error(
        "GitHub refused to list the runners of organization 'octo-org' (HTTP 403: Resource not accessible by integration - https://docs.github.com/rest). Pruning runners needs the GitHub App permission Organization permissions → Self-hosted runners: Read and write ('organization_self_hosted_runners: write'). Add it in the App's settings (Permissions & events) and have the installation owner accept the new permissions."
      )
    )
  })

  test('403 on the DELETE (read-only permission) stops at the first runner', async () => {
    seed([{ name: generated(3 * HOUR, 'eeeee1') }, { name: generated(3 * HOUR, 'eeeee2') }])
    const readOnly = await client({ organization_self_hosted_runners: 'read' })
    await expect(prune(selecting(), readOnly)).rejects.toThrow(
      "GitHub refused to remove runner 1 of organization 'octo-org' (HTTP 403"
    )
    expect(requests().filter((r) => r.startsWith('DELETE'))).toEqual([
      'DELETE /orgs/octo-org/actions/runners/1 → 403'
    ])
  })

  test('403 for a repository: the administration permission, named', async () => {
    const docsOnly = await client({ administration: 'write' }, ['docs'])
    const inputs: PruneRequest = {
      ...selecting(),
      scope: { kind: 'repo', owner: 'octo-org', repo: 'app' }
    }
    await expect(prune(inputs, docsOnly)).rejects.toThrow(
      "Pruning runners needs the GitHub App permission Repository permissions → Administration: Read and write ('administration: write')."
    )
  })
})

describe('pruneRunners: an explicit runner-id or runner-name', () => {
  const explicit = (
    runner: { by: 'id'; id: number } | { by: 'name'; name: string },
    dryRun = false
  ): PruneRequest => ({
    kind: 'explicit',
    target: { owner: 'octo-org' },
    scope: ORG_SCOPE,
    dryRun,
    runner
  })

  test('runner-id removes exactly that runner, online, of any name and age', async () => {
    const [, online] = seed([{ name: 'keep-me' }, { name: 'build-box', status: 'online' }])
    const result = await prune(explicit({ by: 'id', id: online?.id ?? 0 }))
    expect(result).toEqual({
      removed: [{ id: 2, name: 'build-box' }],
      kept: 0,
      left: 0,
      failed: [],
      considered: [
        {
          id: 2,
          name: 'build-box',
          status: 'online',
          busy: false,
          labels: ['self-hosted', 'linux'],
          decision: 'removed',
          reason: "named by 'runner-id' (online)"
        }
      ]
    })
    expect(log).toEqual([
      "build-box (id 2): removed, named by 'runner-id' (online).",
      'Removed 1, kept 0, failed 0.'
    ])
    expect(requests()).toEqual([
      'GET /orgs/octo-org/actions/runners/2 → 200',
      'DELETE /orgs/octo-org/actions/runners/2 → 204'
    ])
    expect(fake.runners.map((r) => r.name)).toEqual(['keep-me'])
  })

  test('runner-name finds it by name, then removes it', async () => {
    seed([{ name: 'keep-me' }, { name: 'Build-Box' }])
    const result = await prune(explicit({ by: 'name', name: 'Build-Box' }))
    expect(result.removed).toEqual([{ id: 2, name: 'Build-Box' }])
    expect(requests()).toEqual([
      'GET /orgs/octo-org/actions/runners?name=Build-Box&per_page=100 → 200',
      'DELETE /orgs/octo-org/actions/runners/2 → 204'
    ])
  })

  test('dry run: found, reported, not deleted', async () => {
    seed([{ name: 'build-box' }])
    const result = await prune(explicit({ by: 'id', id: 1 }, true))
    expect(result.removed).toEqual([{ id: 1, name: 'build-box' }])
    expect(result.considered[0]?.decision).toBe('would remove')
    expect(requests()).toEqual(['GET /orgs/octo-org/actions/runners/1 → 200'])
  })

  test('a busy runner is never removed: an error that names it', async () => {
    seed([{ name: 'build-box', status: 'offline', busy: true }])
    await expect(prune(explicit({ by: 'name', name: 'build-box' }))).rejects.toThrow(
      "Runner 'build-box' (id 1) is running a job, so it was not removed: a busy runner is never removed. Run this again once its job is done, or cancel the job first."
    )
    expect(requests().filter((r) => r.startsWith('DELETE'))).toEqual([])
  })

  test('a runner that takes a job right before its DELETE: the same error', async () => {
    seed([{ name: 'build-box', status: 'online' }])
    fake.onRequest({ method: 'DELETE', run: () => fake.setRunner(1, { busy: true }) })
    await expect(prune(explicit({ by: 'id', id: 1 }))).rejects.toThrow(
      "Runner 'build-box' (id 1) is running a job"
    )
  })

  test.each([
    [
      { by: 'id', id: 99 } as const,
      "No runner with id 99 is registered with organization 'octo-org', so nothing was removed. Check 'runner-id' (Settings → Actions → Runners lists them)."
    ],
    [
      { by: 'name', name: 'nope' } as const,
      "No runner named 'nope' is registered with organization 'octo-org', so nothing was removed. Check 'runner-name' (Settings → Actions → Runners lists them)."
    ]
  ])('a runner that is not there: %o', async (runner, message) => {
    seed([{ name: 'build-box' }])
    await expect(prune(explicit(runner))).rejects.toThrow(message)
  })
})
