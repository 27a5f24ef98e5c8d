import { readFileSync } from 'node:fs'
import type { HandoffState } from '../src/lib/handoff/hand-off.js'
import type { RefreshStatus } from '../src/lib/refresher-control/refresh-status.js'
import { startFakeGitHub, type FakeGitHub } from './fake-github/server.js'
import { expectAllRevoked } from './harness/expect-all-revoked.js'
import { newJob, runStep, type Job, type StepResult } from './harness/run-action.js'

/**
 * main with 'token-refresh', the refresher it leaves behind, and the post step, through dist/
 * (`npm run build` first): GitHub's clock far from the runner's, and a stop that comes while a
 * refresh's reply is on its way.
 */

const HOUR = 3_600_000
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

const inputs = () => ({
  'app-id': String(fake.app.id),
  'private-key': fake.app.privateKey,
  'token-file': 'true',
  'token-refresh': 'true'
})
const mints = () => fake.requests.filter((r) => r.method === 'POST')
const statusOf = (main: StepResult): Partial<RefreshStatus> => {
  const { statusFile } = (JSON.parse(main.state.handoff!) as HandoffState).refresher!
  try {
    return JSON.parse(readFileSync(statusFile, 'utf8')) as RefreshStatus
  } catch {
    return {}
  }
}
async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe("token-refresh: GitHub's clock far from the runner's", () => {
  test.each([
    ['2 hours ahead of', -2 * HOUR],
    ['2 hours behind', 2 * HOUR]
  ])(
    "runner clock %s GitHub's: one refresh on GitHub's schedule, and the post step revokes the current token",
    async (_name, skew) => {
      fake.clockSkewMs = skew
      // By GitHub's clock a 15-second token is replaced when 5 s are left, 10 s in.
      fake.tokenLifetimeMs = 15_000
      const main = await runStep(job, 'main', inputs())
      expect(main.exitCode).toBe(0)
      const first = main.outputs.token!
      await until('a refresh', () => (statusOf(main).refreshes ?? 0) >= 1, 40_000)
      const current = readFileSync(main.outputs['token-file']!, 'utf8')
      expect(current).not.toBe(first)
      const post = await runStep(job, 'post', inputs(), main.state)
      expect(post.exitCode).toBe(0)
      expect(post.warnings).toEqual([])
      // main's mint and one refresh: the next may come a minute later at the earliest.
      expect(mints().map((r) => r.status)).toEqual([201, 201])
      expect(post.stdout).toContain('Revoked the installation token.')
      expect(fake.tokens.get(current)!.revoked).toBe(true)
      expectAllRevoked(fake)
    },
    60_000
  )
})

describe('token-refresh: the post step stops the refresher while a mint is under way', () => {
  test('the token in the late reply is revoked, and the post step ends without a warning', async () => {
    fake.tokenLifetimeMs = 15_000
    const main = await runStep(job, 'main', inputs())
    expect(main.exitCode).toBe(0)
    const first = main.outputs.token!
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    fake.inject({ method: 'POST', path: /access_tokens$/, fault: { holdReplyUntil: held } })
    try {
      // GitHub has minted the refresh's token; its reply waits.
      await until("the refresh's mint", () => fake.tokens.size === 2, 40_000)
      const late = [...fake.tokens.keys()].find((token) => token !== first)!
      const post = runStep(job, 'post', inputs(), main.state)
      await until(
        'the refresher to take the stop',
        () => ['stopping', 'stopped'].includes(statusOf(main).state ?? ''),
        20_000
      )
      release()
      const result = await post
      expect(result.exitCode).toBe(0)
      expect(result.warnings).toEqual([])
      expect(result.stdout).toContain('Stopped the token refresher.')
      expect(fake.tokens.get(late)!.revoked).toBe(true)
      // The late token never reached the file: the post step revoked main's, still current.
      expect(fake.tokens.get(first)!.revoked).toBe(true)
      expect(mints()).toHaveLength(2)
    } finally {
      release()
    }
  }, 60_000)
})
