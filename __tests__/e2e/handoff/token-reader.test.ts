import { existsSync, lstatSync, readFileSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { fragmentsOf } from '../../harness/assert-no-leaks.js'
import { exportToJob, newJob, runStep, type Job } from '../../harness/run-action.js'
import { runShellStep } from '../../harness/run-shell-step.js'
import { until } from '../../harness/wait.js'

/**
 * Issue 13, item 3, through the bundled dist/ and the runner emulated (run-shell-step, runnerView):
 * later steps read the token file through mint-token-read, which the main step puts on the job's
 * PATH (GITHUB_PATH) and which registers each token with the runner's masker before printing it,
 * so a refreshed token, which the runner has never seen, still shows as *** in the log.
 */
let fake: FakeGitHub
let job: Job
beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { contents: 'write', metadata: 'read' }
  })
  job = newJob(fake.url)
})
afterEach(async () => {
  await fake.close()
  for (const dir of [job.temp, job.workspace]) rmSync(dir, { recursive: true, force: true })
})

const key = (more: Record<string, string>) => ({
  'app-id': String(fake.app.id),
  'private-key': fake.app.privateKey,
  ...more
})
const shows = (log: string[], token: string) =>
  log.some((line) => fragmentsOf(token).some((part) => line.includes(part)))

describe('mint-token-read: the token file, masked, for the later steps', () => {
  test('on PATH from a private directory; prints the token exactly, mask first; gone after post', async () => {
    const inputs = key({ 'token-file': 'true' })
    const main = await runStep(job, 'main', inputs)
    expect(main.exitCode).toBe(0)
    const token = main.outputs.token!
    const reader = main.outputs['token-reader']!
    const dir = dirname(reader)
    expect(reader).toMatch(new RegExp(`^${job.temp}/mint-token-bin-[^/]+/mint-token-read$`))
    expect(main.addedPath).toEqual([dir])
    expect([lstatSync(dir).mode & 0o777, lstatSync(reader).mode & 0o777]).toEqual([0o700, 0o700])
    const script = readFileSync(reader, 'utf8')
    expect(script.startsWith('#!/bin/sh\n')).toBe(true)
    for (const part of fragmentsOf(token)) expect(script).not.toContain(part)
    expect(main.stdout.split('\n')).toContain(
      'Put mint-token-read on the PATH of the later steps: it prints the token from the file, masked in the log.'
    )
    exportToJob(job, main)

    const step = await runShellStep(
      job,
      'mint-token-read > "$RUNNER_TEMP/out" 2> "$RUNNER_TEMP/err"; mint-token-read'
    )
    expect(step.exitCode).toBe(0)
    expect(readFileSync(`${job.temp}/out`, 'utf8')).toBe(token)
    expect(readFileSync(`${job.temp}/err`, 'utf8')).toBe(`::add-mask::${token}\n`)
    expect(step.output).toBe(`::add-mask::${token}\n${token}`)
    expect(step.log).toEqual(['***'])

    const post = await runStep(job, 'post', inputs, main.state)
    expect(post.exitCode).toBe(0)
    expect([existsSync(reader), existsSync(dir)]).toEqual([false, false])
    const after = await runShellStep(job, `"${reader}"`)
    expect(after.exitCode).toBe(127)
  })

  test('a refreshed token printed by a later step with set -x shows as ***, also through git', async () => {
    // A short life, so that the refresh comes soon: it is due when a third of it is left.
    fake.tokenLifetimeMs = 12_000
    const inputs = key({ 'token-file': 'true', 'token-refresh': 'true', 'git-credentials': 'true' })
    const main = await runStep(job, 'main', inputs)
    expect(main.exitCode).toBe(0)
    const first = main.outputs.token!
    const file = main.outputs['token-file']!
    exportToJob(job, main)
    // The refresher replaces the token ≈8 s in (a third of its 12 s left).
    await until('the first refresh', () => readFileSync(file, 'utf8') !== first, {
      timeoutMs: 40_000
    })
    const refreshed = readFileSync(file, 'utf8')
    expect(fake.tokens.has(refreshed)).toBe(true)

    // The README's example before the reader: the runner has never seen this token.
    const cat = await runShellStep(job, `set -x; TOKEN=$(cat '${file}'); echo "$TOKEN"`)
    expect(shows(cat.log, refreshed)).toBe(true)
    job.masks.clear()
    exportToJob(job, main)

    const read = await runShellStep(job, 'set -x; TOKEN=$(mint-token-read); echo "$TOKEN"')
    expect(read.exitCode).toBe(0)
    expect(read.log).toEqual(['+ mint-token-read', '+ TOKEN=***', '+ echo ***', '***'])

    // git's credential helper registers the token too; git passes its stderr through.
    job.masks.clear()
    const git = await runShellStep(
      job,
      "printf 'protocol=https\\nhost=github.example\\n\\n' | GIT_TERMINAL_PROMPT=0 git credential fill"
    )
    expect(git.exitCode).toBe(0)
    expect(git.output).toContain(`::add-mask::${refreshed}\n`)
    expect(git.output).toContain(`password=${refreshed}\n`)
    expect(git.log).toContain('password=***')
    expect(shows(git.log, refreshed)).toBe(false)

    const post = await runStep(job, 'post', inputs, main.state)
    expect(post.exitCode).toBe(0)
  }, 90_000)
})
