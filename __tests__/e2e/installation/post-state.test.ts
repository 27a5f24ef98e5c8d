import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { newJob, runStep, type Job } from '../../harness/run-action.js'
import { logLines } from '../../harness/assert-no-leaks.js'
import { expectAllRevoked } from '../../harness/expect-all-revoked.js'

/**
 * Issue 8, item 7: the bundled post step, run directly with crafted STATE_* values, as another
 * step of the job could write them. Whatever main could not have written sends nothing.
 */

let fake: FakeGitHub
let job: Job

beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { organization_self_hosted_runners: 'write', contents: 'write' }
  })
  job = newJob(fake.url)
})
afterEach(async () => fake.close())

const app = () => ({
  'app-id': String(fake.app.id),
  'private-key': fake.app.privateKey,
  'github-api-url': fake.url
})
const jit = () => ({
  ...app(),
  owner: 'octo-org',
  'token-type': 'runner-jit',
  'runner-labels': 'self-hosted',
  'runner-cleanup': 'always'
})
const unusable = (reason: string) =>
  `The main step's saved state is not usable (${reason}), so nothing is sent to GitHub.`

const jitState = (more: Record<string, unknown> = {}) =>
  JSON.stringify({
    kind: 'runner-jit',
    cleanup: 'always',
    runnerId: 7,
    runnerName: 'mint-token-x',
    summary: true,
    ...more
  })
const revocation = (more: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiUrl: fake.url,
    expiresAt: '2099-01-01T00:00:00Z',
    revoke: true,
    summary: true,
    ...more
  })
const TOKEN = 'ghs_crafted0token0for0the0post0step0only1'

describe('post: the state is distrusted', () => {
  const cases: [string, () => Record<string, string>, string][] = [
    ['runner state that is not JSON', () => ({ runner: '{kind:' }), "'runner' is not JSON"],
    ['runner state that is an array', () => ({ runner: '[1]' }), "'runner' is not a JSON object"],
    [
      'an unknown kind',
      () => ({ runner: jitState({ kind: 'runner-admin' }) }),
      "'runner' has an unknown kind"
    ],
    [
      'a runner id that is a path',
      () => ({ runner: jitState({ runnerId: '7/../../../../installation/token' }) }),
      "'runner' has no runnerId that is a positive integer"
    ],
    [
      'a runner id beyond 2^53',
      () => ({ runner: jitState({ runnerId: 2 ** 53 }) }),
      "'runner' has no runnerId that is a positive integer"
    ],
    [
      'a negative runner id',
      () => ({ runner: jitState({ runnerId: -1 }) }),
      "'runner' has no runnerId that is a positive integer"
    ],
    [
      'an unknown cleanup mode',
      () => ({ runner: jitState({ cleanup: 'sometimes' }) }),
      "'runner' has no cleanup that is never, if-unused or always"
    ],
    [
      'an empty runner name',
      () => ({ runner: jitState({ runnerName: '' }) }),
      "'runner' has no runnerName that is a runner name"
    ],
    [
      'summary as a string',
      () => ({ runner: jitState({ summary: 'yes' }) }),
      "'runner' has no summary that is true or false"
    ],
    [
      'a registration token without a time',
      () => ({ runner: JSON.stringify({ kind: 'runner-registration', summary: true }) }),
      "'runner' has no expiresAt that is an ISO 8601 time"
    ],
    ['a token without revocation state', () => ({ token: TOKEN }), "'revocation' is missing"],
    [
      'revocation state without a token',
      () => ({ revocation: revocation() }),
      "'token' is missing"
    ],
    [
      'revocation state that is not JSON',
      () => ({ token: TOKEN, revocation: 'revoke=true' }),
      "'revocation' is not JSON"
    ],
    [
      'revoke as a string',
      () => ({ token: TOKEN, revocation: revocation({ revoke: 'true' }) }),
      "'revocation' has no revoke that is true or false"
    ],
    [
      'an expiry that is not a time',
      () => ({ token: TOKEN, revocation: revocation({ expiresAt: 'tomorrow' }) }),
      "'revocation' has no expiresAt that is an ISO 8601 time"
    ],
    [
      'a token with a line break',
      () => ({ token: `${TOKEN}\nX-Evil: 1`, revocation: revocation() }),
      "'token' holds whitespace or control characters"
    ],
    [
      'both runner and token state',
      () => ({ runner: jitState(), token: TOKEN, revocation: revocation() }),
      "it holds both 'runner' and 'token' state"
    ],
    [
      "an API URL other than this step's 'github-api-url'",
      () => ({ token: TOKEN, revocation: revocation({ apiUrl: 'https://attacker.example' }) }),
      "its API URL is not this step's 'github-api-url'"
    ]
  ]
  test.each(cases)('%s: one info line, nothing sent', async (_name, state, reason) => {
    const post = await runStep(job, 'post', jit(), state())
    expect(post.exitCode).toBe(0)
    expect(logLines(post)).toEqual([unusable(reason)])
    expect(post.warnings).toEqual([])
    expect(post.errors).toEqual([])
    expect(fake.requests).toEqual([])
  })

  test("a runner is deleted only while GitHub's runner with that id has the name main registered", async () => {
    const other = fake.addRunner({ name: 'someone-elses-runner', scope: { org: 'octo-org' } })
    const post = await runStep(job, 'post', jit(), { runner: jitState({ runnerId: other.id }) })
    expect(post.exitCode).toBe(0)
    expect(post.warnings).toEqual([])
    expect(logLines(post)).toEqual([
      `Leaving id ${other.id} alone: GitHub's runner with that id is not named mint-token-x, the runner that was registered.`
    ])
    const runnerRequests = fake.requests
      .filter((r) => r.path.includes('/actions/runners'))
      .map((r) => `${r.method} ${r.path}`)
    expect(runnerRequests).toEqual([`GET /orgs/octo-org/actions/runners/${other.id}`])
    expect(fake.runners.map((r) => r.name)).toEqual(['someone-elses-runner'])
    expectAllRevoked(fake)
  })

  test('state that main wrote is still used: the runner it registered is removed', async () => {
    const main = await runStep(job, 'main', jit())
    const post = await runStep(job, 'post', jit(), main.state)
    expect(post.exitCode).toBe(0)
    expect(logLines(post)).toEqual([
      `Removed runner ${main.outputs['runner-name']} (id ${main.outputs['runner-id']}).`
    ])
    expect(fake.runners).toEqual([])
  })
})
