import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { startManInTheMiddle, type ManInTheMiddle } from '../../harness/man-in-the-middle.js'
import { newJob, runStep, type Job } from '../../harness/run-action.js'
import { logLines } from '../../harness/assert-no-leaks.js'
import { expectAllRevoked } from '../../harness/expect-all-revoked.js'

/**
 * Issue 8, items 3 and 4: the bundled steps against the fake, through the man in the middle,
 * which loses replies after the fake has acted (the runner is registered, the token revoked).
 */

let fake: FakeGitHub
let mitm: ManInTheMiddle
let job: Job

beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { organization_self_hosted_runners: 'write', contents: 'write' }
  })
  mitm = await startManInTheMiddle(fake.url)
  job = newJob(fake.url)
})
afterEach(async () => {
  await mitm.close()
  await fake.close()
})

const app = () => ({
  'app-id': String(fake.app.id),
  'private-key': fake.app.privateKey,
  'github-api-url': mitm.url
})
const jit = (more: Record<string, string> = {}) => ({
  ...app(),
  owner: 'octo-org',
  'token-type': 'runner-jit',
  'runner-labels': 'self-hosted',
  ...more
})
const requests = () => fake.requests.map((r) => `${r.method} ${r.path}`)
const jitPosts = () =>
  fake.requests
    .filter((r) => r.path.endsWith('/generate-jitconfig'))
    .map((r) => (r.body as { name: string }).name)
const RESET = 'other side closed'

describe('lost replies: clean-up is never starved by the step budget', () => {
  test('budget spent on retries: the half-registered runner is removed and the token revoked', async () => {
    // 10 s + 1 s on the lookup, 10 s + 1 s on the groups: the JIT POST gets the last ~3 s of
    // the step's 25 s, and its reply never comes, though the fake registered the runner.
    fake.inject({ method: 'GET', path: /\/installation$/, fault: { hang: true } })
    fake.inject({ method: 'GET', path: /\/runner-groups$/, fault: { hang: true } })
    mitm.intercept({ method: 'POST', path: /generate-jitconfig$/, drop: 'hang' })
    const main = await runStep(job, 'main', jit())
    expect(main.exitCode).toBe(1)
    const [first] = jitPosts()
    expect(logLines(main)).toContain(
      `Removed runner '${first}' (id ${idOf(first!)}), which the failed request registered.`
    )
    expect(main.errors).toEqual([
      expect.stringMatching(
        /^Registering runner 'mint-token-[\w-]+' got no usable answer \(no answer from GitHub within 25 s, retries included\)\.$/
      )
    ])
    expect(main.warnings).toEqual([])
    expect(fake.runners).toEqual([])
    expect(requests()).toContain('DELETE /installation/token')
    expectAllRevoked(fake)
  }, 60_000)
})

/** The id the fake gave the runner it registered under `name`, from its (maybe lost) reply. */
function idOf(name: string): number {
  const posted = fake.requests.find(
    (r) => r.path.endsWith('/generate-jitconfig') && (r.body as { name: string }).name === name
  )
  return (posted!.responseBody as { runner: { id: number } }).runner.id
}

describe('lost replies to requests that are not idempotent', () => {
  test('JIT POST, generated name: the registered runner is removed, then a new name', async () => {
    mitm.intercept({ method: 'POST', path: /generate-jitconfig$/, drop: 'reset' })
    const main = await runStep(job, 'main', jit())
    expect(main.exitCode).toBe(0)
    const [first, second] = jitPosts()
    expect(jitPosts()).toHaveLength(2)
    expect(second).not.toBe(first)
    const id = idOf(first!)
    expect(logLines(main)).toEqual(
      expect.arrayContaining([
        `Registering runner '${first}' got no usable answer (${RESET}); removing it if GitHub registered it.`,
        `Removed runner '${first}' (id ${id}), which the failed request registered.`,
        'Trying once more under a new name.'
      ])
    )
    expect(requests()).toContain(`DELETE /orgs/octo-org/actions/runners/${id}`)
    expect(fake.runners.map((r) => r.name)).toEqual([second])
    expect(main.outputs['runner-name']).toBe(second)
    expect(main.warnings).toEqual([])
    expectAllRevoked(fake)
  })

  test('JIT POST, explicit name, registered: fails naming the runner, its id and how to remove it', async () => {
    mitm.intercept({ method: 'POST', path: /generate-jitconfig$/, drop: 'reset' })
    const main = await runStep(job, 'main', jit({ 'runner-name': 'build-1' }))
    const id = idOf('build-1')
    expect(main.exitCode).toBe(1)
    expect(main.errors).toEqual([
      `Registering runner 'build-1' got no usable answer (${RESET}), but a runner of that name is now registered (id ${id}). Remove it (Settings → Actions → Runners, or 'gh api -X DELETE orgs/octo-org/actions/runners/${id}'), then run the job again.`
    ])
    expect(jitPosts()).toEqual(['build-1'])
    expect(fake.runners.map((r) => r.name)).toEqual(['build-1'])
    expect(main.outputs).toEqual({})
    expectAllRevoked(fake)
  })

  test('JIT POST, explicit name, not registered: fails saying so', async () => {
    fake.inject({ method: 'POST', path: /generate-jitconfig$/, fault: { reset: true } })
    const main = await runStep(job, 'main', jit({ 'runner-name': 'build-1' }))
    expect(main.exitCode).toBe(1)
    expect(main.errors).toEqual([
      `Registering runner 'build-1' got no usable answer (${RESET}), and no runner of that name is registered. Run the job again.`
    ])
    expect(fake.runners).toEqual([])
  })

  test('post step: revocation reply lost, the retry answered 401 → an info line, no warning', async () => {
    const main = await runStep(job, 'main', app())
    const token = main.outputs.token!
    mitm.intercept({ method: 'DELETE', path: '/installation/token', drop: 'reset' })
    const post = await runStep(job, 'post', app(), main.state)
    expect(post.exitCode).toBe(0)
    expect(post.warnings).toEqual([])
    expect(logLines(post)).toEqual([
      `DELETE /installation/token failed (${RESET}); retry 1 of 2 in 1 s`,
      'GitHub answered HTTP 401: the installation token is already revoked or expired, so nothing is left to revoke.'
    ])
    expect(mitm.seen.filter((s) => s.request === 'DELETE /installation/token')).toEqual([
      { request: 'DELETE /installation/token', fate: 'reset' },
      { request: 'DELETE /installation/token', fate: 'passed' }
    ])
    expect(fake.tokens.get(token)!.revoked).toBe(true)
    expect(post.summary).toContain('already revoked')
  })

  test('intermediate token: revocation reply lost, the retry answered 401 → an info line', async () => {
    mitm.intercept({ method: 'DELETE', path: '/installation/token', drop: 'reset' })
    const inputs = { ...app(), owner: 'octo-org', 'token-type': 'runner-registration' }
    const main = await runStep(job, 'main', inputs)
    expect(main.exitCode).toBe(0)
    expect(main.warnings).toEqual([])
    expect(logLines(main)).toContain(
      'GitHub answered HTTP 401: the intermediate installation token is already revoked or expired.'
    )
    expect(requests().filter((r) => r === 'DELETE /installation/token')).toHaveLength(2)
    expectAllRevoked(fake)
  })
})
