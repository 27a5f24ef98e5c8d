import { existsSync } from 'node:fs'
import { startFakeGitHub, type FakeGitHub } from './fake-github/server.js'
import { newJob, runStep, type Job } from './harness/run-action.js'

/** The post step undoes the hand-off even when it must not trust the token state. */
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

describe('post: token state unusable, hand-off state usable', () => {
  test('the token file is still deleted; nothing is sent to GitHub', async () => {
    const inputs = {
      'app-id': String(fake.app.id),
      'private-key': fake.app.privateKey,
      'token-file': 'true'
    }
    const main = await runStep(job, 'main', inputs)
    expect(main.exitCode).toBe(0)
    const path = main.outputs['token-file']!
    const revocation = JSON.parse(main.state.revocation!) as Record<string, unknown>
    const foreign = {
      ...main.state,
      revocation: JSON.stringify({ ...revocation, apiUrl: 'https://elsewhere.example/api/v3' })
    }
    fake.requests.length = 0
    const post = await runStep(job, 'post', inputs, foreign)
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toContain(
      "The main step's saved state is not usable (its API URL is not this step's 'github-api-url'), so nothing is sent to GitHub."
    )
    expect(post.stdout).toContain(`Deleted the token file ${path}.`)
    expect(existsSync(path)).toBe(false)
    expect(fake.requests).toEqual([])
  })
})
