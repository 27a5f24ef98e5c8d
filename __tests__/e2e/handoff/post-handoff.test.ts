import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { newJob, runStep, type Job } from '../../harness/run-action.js'

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

describe('post: the token reader named in the hand-off state', () => {
  test('only the very reader main wrote is deleted: a forged entry leaves that file alone', async () => {
    const inputs = {
      'app-id': String(fake.app.id),
      'private-key': fake.app.privateKey,
      'token-file': 'true'
    }
    const main = await runStep(job, 'main', inputs)
    expect(main.exitCode).toBe(0)
    const handoff = JSON.parse(main.state.handoff!) as { reader: Record<string, unknown> }
    const reader = main.outputs['token-reader']!
    expect(handoff.reader).toMatchObject({ path: reader, createdDirs: [dirname(reader)] })
    // Another file of the job, named in place of the reader with the reader's identity.
    const other = join(mkdtempSync(join(job.temp, 'other-')), 'mint-token-read')
    writeFileSync(other, 'not ours')
    const forged = {
      ...handoff,
      reader: { ...handoff.reader, path: other, createdDirs: [dirname(other)] }
    }
    const post = await runStep(job, 'post', inputs, {
      ...main.state,
      handoff: JSON.stringify(forged)
    })
    expect(post.exitCode).toBe(0)
    expect(readFileSync(other, 'utf8')).toBe('not ours')
    expect(existsSync(main.outputs['token-file']!)).toBe(false)
  })
})
