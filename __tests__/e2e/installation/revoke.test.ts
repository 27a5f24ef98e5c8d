import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { assertNoLeaks } from '../../harness/assert-no-leaks.js'
import { newJob, runStep, type Job } from '../../harness/run-action.js'

/** The revoke sub-action (revoke/action.yml, dist/revoke): one token, revoked now. */
let fake: FakeGitHub
let job: Job
beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { contents: 'read' }
  })
  job = newJob(fake.url)
})
afterEach(async () => fake.close())

/** A token minted by the main step with 'revoke: false', as an earlier step or job would. */
async function mintUnrevoked(): Promise<string> {
  const main = await runStep(job, 'main', {
    'app-id': String(fake.app.id),
    'private-key': fake.app.privateKey,
    revoke: 'false'
  })
  expect(main.exitCode).toBe(0)
  fake.requests.length = 0
  return main.outputs.token!
}

describe('revoke: a token minted with revoke: false', () => {
  test('is masked, then revoked in exactly one request', async () => {
    const token = await mintUnrevoked()
    const step = await runStep(job, 'revoke', { token })
    expect(step.exitCode).toBe(0)
    expect(step.stdout.startsWith(`::add-mask::${token}`)).toBe(true)
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.auth}`)).toEqual([
      'DELETE /installation/token token'
    ])
    expect(fake.tokens.get(token)!.revoked).toBe(true)
    expect(step.stdout).toContain('Revoked the installation token.')
    expect(step.summary).toContain('<th>Installation token</th><td>revoked</td>')
    assertNoLeaks(job, [step], { maskable: [token] })
  })

  test('already revoked: an info line, not a failure', async () => {
    const token = await mintUnrevoked()
    await runStep(job, 'revoke', { token })
    const again = await runStep(job, 'revoke', { token })
    expect(again.exitCode).toBe(0)
    expect(again.warnings).toEqual([])
    expect(again.errors).toEqual([])
    expect(again.stdout).toContain(
      'The token has already expired or been revoked (HTTP 401); nothing to revoke.'
    )
    assertNoLeaks(job, [again], { maskable: [token] })
  })

  test('GitHub failing: the step fails with the status, after its retries', async () => {
    const token = await mintUnrevoked()
    fake.inject({ method: 'DELETE', path: '/installation/token', times: 3, fault: { status: 503 } })
    const step = await runStep(job, 'revoke', { token })
    expect(step.exitCode).toBe(1)
    expect(step.errors).toEqual([
      'Could not revoke the token (HTTP 503: Internal Server Error - https://docs.github.com/rest).'
    ])
    expect(fake.requests).toHaveLength(3)
    assertNoLeaks(job, [step], { maskable: [token] })
  })
})

describe('revoke: bad input', () => {
  test('an empty token is refused before any request', async () => {
    const step = await runStep(job, 'revoke', { token: '' })
    expect(step.exitCode).toBe(1)
    expect(step.errors).toEqual([
      "Input 'token' is empty. Pass the installation token to revoke, e.g. 'token: ${{ steps.app-token.outputs.token }}' of a step that minted it with 'revoke: false'."
    ])
    expect(fake.requests).toEqual([])
  })

  test('a token with a line break is refused, masked and never echoed', async () => {
    const token = 'ghs_first-line-of-a-pasted-token'
    const step = await runStep(job, 'revoke', { token: `${token}\nsecond` })
    expect(step.exitCode).toBe(1)
    expect(step.errors).toEqual([
      "Input 'token' contains whitespace or a line break; pass the token alone."
    ])
    expect(fake.requests).toEqual([])
    assertNoLeaks(job, [step], { maskable: [token] })
  })
})
