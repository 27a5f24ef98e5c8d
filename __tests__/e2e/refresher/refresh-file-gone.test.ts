import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { tokenHash } from '../../../src/lib/installation/token-hash.js'
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { logLines } from '../../harness/assert-no-leaks.js'
import { newJob, runStep, type Job } from '../../harness/run-action.js'

/**
 * Issue 13, item 6, through the bundled dist/ (npm run build first): a later step deletes the
 * token file while the refresher runs. The refresher must notice before it mints again, revoke
 * the token it holds and exit; the post step must not look for that token again. The same after
 * a refresh, on a fake clock: refresh-loop.test.ts (the refresher) and post-refreshed-token.test.ts
 * (the post step, which must not fall back to the first token).
 */

let fake: FakeGitHub
let job: Job
beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({ account: 'octo-org', repositories: ['app'], permissions: {} })
  job = newJob(fake.url)
})
afterEach(async () => {
  await fake.close()
  for (const dir of [job.temp, job.workspace]) rmSync(dir, { recursive: true, force: true })
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
const mints = () => fake.requests.filter((r) => r.method === 'POST')

describe('token-refresh: a later step deletes the token file', () => {
  test('the refresher revokes its current token and exits without a mint; post revokes nothing more', async () => {
    const inputs = {
      'app-id': String(fake.app.id),
      'private-key': fake.app.privateKey,
      'token-file': 'true',
      'token-refresh': 'true'
    }
    const main = await runStep(job, 'main', inputs)
    expect(main.exitCode).toBe(0)
    const first = main.outputs.token!
    const file = main.outputs['token-file']!
    const { pid, statusFile } = (
      JSON.parse(main.state.handoff!) as {
        refresher: { pid: number; statusFile: string }
      }
    ).refresher

    // A later step of the job deletes the file.
    const step = spawnSync('sh', ['-c', 'rm "$TOKEN_FILE"'], {
      env: { PATH: process.env.PATH, TOKEN_FILE: file }
    })
    expect(step.status).toBe(0)
    const minted = mints().length
    await until('the refresher to exit', () => !alive(pid), 60_000)
    // It noticed (it looks every 2 s) before any mint, and revoked the token it held.
    expect(mints()).toHaveLength(minted)
    expect(fake.tokens.get(first)!.revoked).toBe(true)
    const status = JSON.parse(readFileSync(statusFile, 'utf8')) as Record<string, unknown>
    expect(status).toMatchObject({
      state: 'stopped',
      stopReason: 'token file gone',
      current: { hash: tokenHash(first), revoked: true }
    })

    fake.requests.length = 0
    const post = await runStep(job, 'post', inputs, main.state)
    expect(post.exitCode).toBe(0)
    expect(post.warnings).toEqual([])
    const hashes = tokenHash(first)
    expect(logLines(post)).toEqual([
      'The token refresher had already stopped: the token file was deleted or replaced, so it revoked the current token.',
      'The token was refreshed 0 time(s).',
      `The tokens' hashes for the audit log (hashed_token), oldest first: ${hashes}.`,
      'The token refresher revoked the current token when the token file went away, so nothing is left to revoke.',
      `The token file ${file} was gone already.`
    ])
    // Nothing sent: the token the refresher revoked is not looked for, nor another minted.
    expect(fake.requests).toEqual([])
    expect(fake.tokens.size).toBe(1)
    expect(post.summary).toContain(
      '<tr><th>Installation token</th><td>revoked by the token refresher (the token file was gone)</td></tr>'
    )
    expect(post.summary).toContain(
      `<tr><th>Token hashes (audit log), oldest first</th><td>${hashes}</td></tr>`
    )
    expect(post.summary).toContain('<tr><th>Token file</th><td>gone already</td></tr>')
    expect(readdirSync(job.temp).filter((name) => name.startsWith('mint-token-'))).toEqual([])
  }, 60_000)
})
