import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js'
import {
  startManInTheMiddle,
  type ManInTheMiddle,
  type Reply
} from '../harness/man-in-the-middle.js'
import { expectWellFormed, renderSummary, type RenderedSummary } from '../harness/render-summary.js'
import { newJob, runAction, runStep, type Job } from '../harness/run-action.js'

/**
 * Issue 14, item 5: every kind of job summary (installation, registration, JIT, prune, revoke,
 * the post step's), rendered as GitHub renders it (GFM, see render-summary.ts), with foreign text
 * (GitHub's replies, inputs) carrying markup. GitHub's clock runs two hours ahead of the
 * runner's, so a time judged by the runner's clock would read "in 2 h 59 min".
 */
const HOSTILE = 'evil|`code`<img src=x onerror=alert(1)>\n# h'
const SHOWN = 'evil|`code`<img src=x onerror=alert(1)> # h'
const SERVER = 'https://github.example'
let fake: FakeGitHub
let mitm: ManInTheMiddle
let job: Job

beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.clockSkewMs = 2 * 3_600_000
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app', 'docs'],
    permissions: {
      contents: 'write',
      issues: 'write',
      metadata: 'read',
      organization_self_hosted_runners: 'write'
    }
  })
  mitm = await startManInTheMiddle(fake.url)
  job = newJob(mitm.url)
})
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
const json =
  (change: (body: Record<string, unknown>) => unknown) =>
  (reply: Reply): Partial<Reply> => ({
    body: JSON.stringify(change(JSON.parse(reply.body) as Record<string, unknown>))
  })
/** The table of a one-table summary, as { row name: what a reader sees }. */
const rowsOf = (rendered: RenderedSummary): Record<string, string | undefined> =>
  Object.fromEntries(rendered.tables[0]!.map(([name, value]) => [name!, value!]))
/** "2026-12-04 21:47:09 UTC (in 59 min)" for an expires-at output; 60 when minted on the second. */
const expiry = (iso: string) =>
  new RegExp(`^${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC \\(in (59|60) min\\)$`)

describe('job summary: installation token, and the post step that revokes it', () => {
  test("code for the hash, permissions sorted, expiry in UTC by GitHub's clock, foreign text inert", async () => {
    mitm.intercept({
      path: '/repos/octo-org/app/installation',
      // The skew costs one refused JWT first (auth-app then signs with GitHub's time).
      times: 2,
      rewrite: json((body) => ({ ...body, app_slug: HOSTILE }))
    })
    mitm.intercept({
      path: /\/access_tokens$/,
      rewrite: json((body) => ({
        ...body,
        permissions: { metadata: 'read', issues: 'write', contents: 'read' }
      }))
    })
    const { main, post } = await runAction(
      job,
      key({ permissions: 'metadata:read,issues:write,contents:read' })
    )
    expect(main.exitCode).toBe(0)
    const rendered = renderSummary(main.summary)
    expectWellFormed(rendered)
    expect(rendered.headings).toEqual(['mint-token: installation access token'])
    const rows = rowsOf(rendered)
    expect(rows.App).toBe(SHOWN)
    expect(rows.Permissions).toBe('contents: read, issues: write, metadata: read')
    expect(rows.Expires).toMatch(expiry(main.outputs['expires-at']!))
    expect(rows['Token hash (audit log)']).toBe(main.outputs['token-hash'])
    expect(rendered.html).toContain(`<code>${main.outputs['token-hash']}</code>`)

    const cleanup = renderSummary(post.summary)
    expectWellFormed(cleanup)
    expect(rowsOf(cleanup)).toEqual({ 'Installation token': 'revoked' })
  })
})

describe('job summary: runners', () => {
  test("registration: a link to the runners page, expiry in UTC by GitHub's clock", async () => {
    const main = await runStep(
      job,
      'main',
      key({ owner: 'octo-org', 'token-type': 'runner-registration' })
    )
    expect(main.exitCode).toBe(0)
    const rendered = renderSummary(main.summary)
    expectWellFormed(rendered)
    const rows = rowsOf(rendered)
    expect(rows.Runners).toBe('Settings → Actions → Runners')
    expect(rendered.links).toEqual([`${SERVER}/organizations/octo-org/settings/actions/runners`])
    expect(rows.Expires).toMatch(expiry(main.outputs['expires-at']!))
    expect(rendered.html).toContain(`<code>${main.outputs['token-hash']}</code>`)
  })

  test("JIT: the runner's name in code, linked to its page; post: removed, named in code", async () => {
    const { main, post } = await runAction(
      job,
      key({
        owner: 'octo-org',
        'token-type': 'runner-jit',
        'runner-labels': 'self-hosted, gpu|<b>x</b>',
        'runner-cleanup': 'always'
      })
    )
    expect(main.exitCode).toBe(0)
    const { 'runner-name': name, 'runner-id': id } = main.outputs
    const rendered = renderSummary(main.summary)
    expectWellFormed(rendered)
    const rows = rowsOf(rendered)
    expect(rows.Runner).toBe(`${name} (id ${id})`)
    expect(rows.Labels).toBe('self-hosted, gpu|<b>x</b>')
    expect(rendered.html).toContain(`<code>${name}</code>`)
    expect(rendered.links).toEqual([
      `${SERVER}/organizations/octo-org/settings/actions/runners/${id}`
    ])

    const cleanup = renderSummary(post.summary)
    expectWellFormed(cleanup)
    expect(rowsOf(cleanup)).toEqual({ Runner: `${name} removed` })
    expect(cleanup.html).toContain(`<code>${name}</code> removed`)
  })

  test('prune-runners: totals, removed rows in bold, names as code, the age in its column only', async () => {
    const old = Math.floor((fake.clockSkewMs + Date.now() - 3 * 3_600_000) / 1000).toString(36)
    const young = Math.floor((fake.clockSkewMs + Date.now() - 10 * 60_000) / 1000).toString(36)
    const names = [
      `mint-token-${old}-4242-1-aaaaa1`,
      `mint-token-<img src=x>|${old}`,
      `mint-token-${young}-4242-1-aaaaa2`
    ]
    for (const name of names)
      fake.addRunner({ scope: { org: 'octo-org' }, name, labels: ['self-hosted', 'a|<i>b</i>'] })
    const step = await runStep(job, 'prune-runners', key({ owner: 'octo-org' }))
    expect(step.exitCode).toBe(0)
    const rendered = renderSummary(step.summary)
    expectWellFormed(rendered)
    expect(rendered.paragraphs).toEqual(['removed 1, kept 2, failed 0'])
    const [header, ...rows] = rendered.tables[0]!
    expect(header).toEqual([
      'Runner',
      'ID',
      'Status',
      'Busy',
      'Labels',
      'Age',
      'Decision',
      'Reason'
    ])
    const columns = (...at: number[]) => rows.map((row) => at.map((i) => row[i]))
    expect(columns(0, 4, 6, 7)).toEqual([
      [names[0], 'self-hosted, a|<i>b</i>', 'removed', 'offline and older than 1h'],
      [names[1], 'self-hosted, a|<i>b</i>', 'kept', 'age unknown (no timestamp in name)'],
      [names[2], 'self-hosted, a|<i>b</i>', 'kept', 'younger than 1h']
    ])
    expect(columns(5)).toEqual([
      [expect.stringMatching(/^3h/)],
      ['unknown'],
      [expect.stringMatching(/^1\dm/)]
    ])
    expect(rendered.html).toContain(`<td><code>${names[0]}</code></td>`)
    expect(rendered.html).toContain('<td><strong>removed</strong></td>')
    expect(rendered.html).not.toContain('<strong>kept')
  })
})

describe('job summary: revoke', () => {
  test('the revoke sub-action', async () => {
    const main = await runStep(job, 'main', key({ revoke: 'false' }))
    const step = await runStep(job, 'revoke', { token: main.outputs.token! })
    expect(step.exitCode).toBe(0)
    const rendered = renderSummary(step.summary)
    expectWellFormed(rendered)
    expect(rendered.headings).toEqual(['mint-token: revoke'])
    expect(rowsOf(rendered)).toEqual({ 'Installation token': 'revoked' })
  })
})
