import type { AddRunner, FakeGitHub } from '../../fake-github/server.js'
import { expectAllRevoked } from '../../harness/expect-all-revoked.js'
import { deletes, failDeleteOf, generated, HOUR } from '../../harness/prune-fleet.js'
import {
  appFlags,
  assertCliNoLeaks,
  type CliRun,
  runCli,
  useCliFixture
} from '../../harness/run-cli.js'

/** `mint-token runners prune` and `runners remove` (dist/cli) against the fake's runners. */
let fake: FakeGitHub
let cwd: string
let keyFile: string
useCliFixture(
  {
    account: 'octo-org',
    repositories: ['app'],
    permissions: { organization_self_hosted_runners: 'write', administration: 'write' }
  },
  (fixture) => ({ fake, cwd, keyFile } = fixture)
)

const runners = async (args: string[]) => {
  const run = await runCli(['runners', ...args, ...appFlags({ fake, keyFile })], { fake, cwd })
  assertCliNoLeaks(fake, [run], { dirs: [cwd] })
  return run
}
const seed = (list: Omit<AddRunner, 'scope'>[], scope: AddRunner['scope'] = { org: 'octo-org' }) =>
  list.map((runner) => fake.addRunner({ scope, ...runner }))

interface Report {
  dry_run: boolean
  removed: { id: number; name: string }[]
  kept: number
  left: number
  failed: { id: number; name: string; reason: string }[]
  runners: { id: number; name: string; decision: string; reason: string }[]
}
const report = (run: CliRun) => JSON.parse(run.stdout) as Report
/** The table's row of one runner on stderr (below its header), split on the column gaps. */
const tableRow = (run: CliRun, name: string) => {
  const lines = run.stderr.split('\n')
  const header = lines.findIndex((line) => line.startsWith('RUNNER '))
  return lines
    .slice(header)
    .find((line) => line.startsWith(`${name} `))
    ?.split(/ {2,}/)
}

describe('cli runners prune: a fleet in every state', () => {
  test('removes only the old, offline, idle prefixed runners; reports every one considered', async () => {
    const [old, young, online, busy, other, handmade] = seed([
      { name: generated(3 * HOUR, 'aaaaa1'), labels: ['self-hosted', 'gpu'] },
      { name: generated(10 * 60_000, 'aaaaa2') },
      { name: generated(3 * HOUR, 'aaaaa3'), status: 'online' },
      { name: generated(3 * HOUR, 'aaaaa4'), busy: true },
      { name: generated(3 * HOUR, 'aaaaa5', 'other-fleet') },
      { name: 'mint-token-handmade' }
    ])
    const run = await runners(['prune', '--owner', 'octo-org'])
    expect(run.exitCode).toBe(0)
    expect(report(run)).toEqual({
      dry_run: false,
      removed: [{ id: old!.id, name: old!.name }],
      kept: 4,
      left: 0,
      failed: [],
      runners: [
        row(old!, 'removed', 'offline and older than 1h', { labels: ['self-hosted', 'gpu'] }),
        row(young!, 'kept', 'younger than 1h'),
        row(online!, 'kept', 'online', { status: 'online' }),
        row(busy!, 'kept', 'busy', { busy: true }),
        { ...row(handmade!, 'kept', 'age unknown (no timestamp in name)'), age_seconds: null }
      ]
    })
    expect(fake.runners.map((r) => r.id)).toEqual(
      [young, online, busy, other, handmade].map((r) => r!.id)
    )
    expect(deletes(fake).map((r) => r.path)).toEqual([`/orgs/octo-org/actions/runners/${old!.id}`])
    // The table: a header, one aligned row per runner, the totals.
    expect(run.stderr).toMatch(/^RUNNER +ID +STATUS +BUSY +LABELS +AGE +DECISION +REASON$/m)
    expect(tableRow(run, old!.name)).toEqual([
      old!.name,
      String(old!.id),
      'offline',
      'no',
      'self-hosted,gpu',
      expect.stringMatching(/^3h( \d+m)?$/) as unknown,
      'removed',
      'offline and older than 1h'
    ])
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe('Removed 1, kept 4, failed 0.')
    expect(run.stderr).not.toContain('other-fleet')
    expectAllRevoked(fake)
  })

  test('--dry-run removes nothing and reports "would remove"', async () => {
    const [old, young] = seed([
      { name: generated(3 * HOUR, 'bbbbb1') },
      { name: generated(60_000, 'bbbbb2') }
    ])
    const run = await runners(['prune', '--owner', 'octo-org', '--dry-run'])
    expect(run.exitCode).toBe(0)
    const result = report(run)
    expect(result.dry_run).toBe(true)
    expect(result.removed).toEqual([{ id: old!.id, name: old!.name }])
    expect(result.runners.map((r) => r.decision)).toEqual(['would remove', 'kept'])
    expect(tableRow(run, old!.name)?.slice(6)).toEqual([
      'would remove',
      'offline and older than 1h (dry run)'
    ])
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe('Would remove 1, kept 1, failed 0.')
    expect(deletes(fake)).toEqual([])
    expect(fake.runners.map((r) => r.id)).toEqual([old!.id, young!.id])
  })

  test('--name-prefix, --labels, --older-than and --include-unknown-age select as the inputs do', async () => {
    const [gpuOld, , cpuOld, handmade] = seed([
      { name: generated(3 * HOUR, 'ccccc1', 'ci'), labels: ['self-hosted', 'GPU'] },
      { name: generated(90 * 60_000, 'ccccc2', 'ci'), labels: ['gpu'] },
      { name: generated(3 * HOUR, 'ccccc3', 'ci'), labels: ['cpu'] },
      { name: 'ci-handmade', labels: ['gpu'] }
    ])
    const flags = ['--name-prefix', 'ci', '--labels', 'gpu', '--older-than', '2h']
    const run = await runners(['prune', '--owner', 'octo-org', ...flags, '--include-unknown-age'])
    expect(run.exitCode).toBe(0)
    expect(report(run).removed.map((r) => r.id)).toEqual([gpuOld!.id, handmade!.id])
    expect(report(run).runners.map((r) => r.decision)).toEqual(['removed', 'kept', 'removed'])
    expect(fake.runners.map((r) => r.id)).toContain(cpuOld!.id)
  })

  test("ages are on GitHub's clock: a runner clock two hours fast keeps a young runner", async () => {
    fake.clockSkewMs = -2 * HOUR
    const githubNow = Date.now() + fake.clockSkewMs
    const [young, old] = seed([
      { name: generated(5 * 60_000, 'ddddd1', 'mint-token', githubNow) },
      { name: generated(3 * HOUR, 'ddddd2', 'mint-token', githubNow) }
    ])
    const run = await runners(['prune', '--owner', 'octo-org'])
    expect(run.exitCode).toBe(0)
    expect(report(run).removed).toEqual([{ id: old!.id, name: old!.name }])
    expect(fake.runners.map((r) => r.id)).toEqual([young!.id])
  })

  test('--repository prunes that repository’s runners with administration:write', async () => {
    const [repoOld] = seed([{ name: generated(3 * HOUR, 'eeeee1') }], {
      owner: 'octo-org',
      repo: 'app'
    })
    const [orgOld] = seed([{ name: generated(3 * HOUR, 'eeeee2') }])
    const run = await runners(['prune', '--owner', 'octo-org', '--repository', 'app'])
    expect(run.exitCode).toBe(0)
    expect(report(run).removed).toEqual([{ id: repoOld!.id, name: repoOld!.name }])
    expect(fake.runners.map((r) => r.id)).toEqual([orgOld!.id])
    const mint = fake.requests.find((r) => r.path.endsWith('/access_tokens'))!
    expect(mint.body).toEqual({ repositories: ['app'], permissions: { administration: 'write' } })
  })

  test('nothing to prune is done: exit 0, an empty report', async () => {
    const run = await runners(['prune', '--owner', 'octo-org'])
    expect(run.exitCode).toBe(0)
    expect(report(run)).toEqual({
      dry_run: false,
      removed: [],
      kept: 0,
      left: 0,
      failed: [],
      runners: []
    })
    expect(run.stderr).toContain('No runner matched.\nRemoved 0, kept 0, failed 0.\n')
  })

  test('names and labels from GitHub are neutralized on the table', async () => {
    seed([{ name: 'mint-token-\u001b[2J\rbox', labels: ['gpu\u001b]0;x\u0007'] }])
    const run = await runners(['prune', '--owner', 'octo-org', '--include-unknown-age'])
    expect(run.exitCode).toBe(0)
    // eslint-disable-next-line no-control-regex
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/)
    expect(tableRow(run, 'mint-token- [2J box')?.[4]).toBe('gpu ]0;x')
    // stdout is JSON: the names as GitHub gave them, escaped by JSON.
    expect(report(run).removed[0]!.name).toBe('mint-token-\u001b[2J\rbox')
  })

  test('a runner that could not be removed: the report, then exit 1 with the sub-action’s message', async () => {
    const [first, second] = seed([
      { name: generated(3 * HOUR, 'fffff1') },
      { name: generated(3 * HOUR, 'fffff2') }
    ])
    failDeleteOf(fake, first!.id)
    const run = await runners(['prune', '--owner', 'octo-org'])
    expect(run.exitCode).toBe(1)
    const result = report(run)
    expect(result.removed).toEqual([{ id: second!.id, name: second!.name }])
    expect(result.failed).toEqual([
      { id: first!.id, name: first!.name, reason: expect.any(String) as unknown }
    ])
    expect(run.stderr).toMatch(
      new RegExp(
        `\\nerror: 1 runner\\(s\\) could not be removed: ${first!.name} \\(id ${first!.id}\\): .*500`
      )
    )
    expect(fake.runners.map((r) => r.id)).toEqual([first!.id])
    expectAllRevoked(fake)
  })
})

describe('cli runners remove: one runner by --id or --name', () => {
  test('--id removes exactly that runner, online and young', async () => {
    const [young, other] = seed([
      { name: generated(60_000, 'ggggg1'), status: 'online' },
      { name: generated(3 * HOUR, 'ggggg2') }
    ])
    const run = await runners(['remove', '--owner', 'octo-org', '--id', String(young!.id)])
    expect(run.exitCode).toBe(0)
    expect(report(run).removed).toEqual([{ id: young!.id, name: young!.name }])
    expect(report(run).runners).toEqual([
      {
        ...row(young!, 'removed', 'named by --id (online)', { status: 'online' }),
        age_seconds: null
      }
    ])
    expect(fake.runners.map((r) => r.id)).toEqual([other!.id])
  })

  test('--name removes it whatever its prefix; --dry-run only says it would', async () => {
    const [box] = seed([{ name: 'build-box-7' }])
    const dry = await runners([
      'remove',
      '--owner',
      'octo-org',
      '--name',
      'build-box-7',
      '--dry-run'
    ])
    expect(dry.exitCode).toBe(0)
    expect(report(dry).runners.map((r) => r.decision)).toEqual(['would remove'])
    expect(fake.runners).toHaveLength(1)
    const run = await runners(['remove', '--owner', 'octo-org', '--name', 'build-box-7'])
    expect(run.exitCode).toBe(0)
    expect(report(run).removed).toEqual([{ id: box!.id, name: 'build-box-7' }])
    expect(fake.runners).toEqual([])
  })

  test('a busy runner is never removed: exit 1, the sub-action’s error, no report', async () => {
    const [busy] = seed([{ name: 'build-box-8', status: 'online', busy: true }])
    const run = await runners(['remove', '--owner', 'octo-org', '--name', 'build-box-8'])
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain(
      `error: Runner 'build-box-8' (id ${busy!.id}) is running a job, so it was not removed: a busy runner is never removed. Run this again once its job is done, or cancel the job first.\n`
    )
    expect(deletes(fake)).toEqual([])
    expectAllRevoked(fake)
  })

  test('an unknown ID: exit 1, nothing removed', async () => {
    seed([{ name: generated(3 * HOUR, 'hhhhh1') }])
    const run = await runners(['remove', '--owner', 'octo-org', '--id', '999'])
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toContain(
      "error: No runner with id 999 is registered with organization 'octo-org', so nothing was removed. Check --id (Settings → Actions → Runners lists them).\n"
    )
    expect(fake.runners).toHaveLength(1)
  })
})

/** The JSON row of a seeded runner, its age a whole number of seconds. */
function row(
  runner: { id: number; name: string },
  decision: string,
  reason: string,
  seen: { labels?: string[]; status?: string; busy?: boolean } = {}
) {
  return {
    id: runner.id,
    name: runner.name,
    status: seen.status ?? 'offline',
    busy: seen.busy ?? false,
    labels: seen.labels ?? ['self-hosted'],
    age_seconds: expect.any(Number) as unknown,
    decision,
    reason
  }
}

describe('cli runners: help', () => {
  test('runners --help lists its commands; each command has its own --help', async () => {
    const group = await runCli(['runners', '--help'], { fake, cwd })
    expect(group.exitCode).toBe(0)
    expect(group.stdout).toMatch(/^Usage: mint-token runners COMMAND \[flags\]\n/)
    expect(group.stdout).toMatch(/^ {2}runners prune +Remove stale/m)
    expect(group.stdout).toMatch(/^ {2}runners remove +Deprovision one runner/m)
    for (const command of ['prune', 'remove']) {
      const run = await runCli(['runners', command, '--help'], { fake, cwd })
      expect(run.exitCode).toBe(0)
      expect(run.stdout).toMatch(new RegExp(`^Usage: mint-token runners ${command} --owner ORG `))
    }
    const none = await runCli(['runners'], { fake, cwd })
    expect(none.exitCode).toBe(2)
    expect(none.stdout).toBe('')
    expect(none.stderr).toBe(
      `${group.stdout}error: No runners command given. Commands: runners prune, runners remove.\n`
    )
  })
})
