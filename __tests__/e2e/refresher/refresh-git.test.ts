import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { tokenHash } from '../../../src/lib/installation/token-hash.js'
import { REFRESHER_MARKER } from '../../../src/lib/refresher-control/refresher-marker.js'
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { fragmentsOf, logLines, keyLinesOf } from '../../harness/assert-no-leaks.js'
import { emptyHome, gitStepEnv, runGit } from '../../harness/git-client.js'
import {
  startGitHttpServer,
  validOnFake,
  type GitHttpServer
} from '../../harness/git-http-server.js'
import { startManInTheMiddle } from '../../harness/man-in-the-middle.js'
import {
  exportToJob,
  newJob,
  runStep,
  type Job,
  type StepResult
} from '../../harness/run-action.js'

/**
 * Issue 9, token-refresh and git-credentials, through the bundled dist/ (npm run build first):
 * the main step, the job's later steps running the real git against a smart-HTTP server that
 * accepts only a token the fake GitHub holds valid right now, then the post step; each step's
 * GITHUB_ENV exports reach the later steps, as the runner applies them.
 */

let fake: FakeGitHub
let server: GitHttpServer
let job: Job
let home: string
let installationId: number
beforeEach(async () => {
  fake = await startFakeGitHub()
  installationId = fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { contents: 'write', metadata: 'read' }
  }).id
  server = await startGitHttpServer({ isValid: validOnFake(fake) })
  // The runner's own API (github-api-url's default): git's origin is then GITHUB_SERVER_URL.
  job = newJob(fake.url, { GITHUB_SERVER_URL: server.url })
  home = emptyHome()
})
afterEach(async () => {
  await server.close()
  await fake.close()
  for (const dir of [job.temp, job.workspace, home]) rmSync(dir, { recursive: true, force: true })
})

const key = () => ({ 'app-id': String(fake.app.id), 'private-key': fake.app.privateKey })
const calls = () => fake.requests.map((r) => `${r.method} ${r.path}`)
const revoked = (token: string) => fake.tokens.get(token)?.revoked === true

interface HandoffState {
  file?: { path: string; createdDirs: string[]; ino: number }
  refresher?: { pid: number; nonce: string; statusFile: string; dir: string }
  git?: { undo: Record<string, string>; file?: { path: string; createdDirs: string[] } }
}
const handoffOf = (main: StepResult) => JSON.parse(main.state.handoff!) as HandoffState

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Octo',
  GIT_AUTHOR_EMAIL: 'octo@example.com',
  GIT_COMMITTER_NAME: 'Octo',
  GIT_COMMITTER_EMAIL: 'octo@example.com'
}
/** A later step's git: a clean HOME, no prompt, and the job's GIT_CONFIG_* variables. */
const gitEnv = () =>
  gitStepEnv(
    home,
    Object.fromEntries(Object.entries(job.env).filter(([name]) => name.startsWith('GIT_CONFIG_')))
  )
/** The (user, token, status) of each request the git server saw since the last call. */
function gitSeen(): [string | undefined, string | undefined, number][] {
  const seen = server.requests.map((r) => [r.user, r.token, r.status] as [string, string, number])
  server.requests.length = 0
  return seen
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}
/**
 * Whether the process is gone, as `kill -0` sees it. The refresher was orphaned when the main
 * step exited, so its last parent is init, which here reaps exited children every few seconds.
 */
async function gone(pid: number): Promise<boolean> {
  const exists = () => {
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  }
  await until(`process ${pid} to be reaped`, () => !exists(), 15_000).catch(() => undefined)
  return !exists()
}
/** Refresher processes of this job: the marker in argv, the job's RUNNER_TEMP in environ. */
function refreshersOf(of: Job): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
        const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')
        return argv.includes(REFRESHER_MARKER) && environ.includes(`RUNNER_TEMP=${of.temp}`)
      } catch {
        return false
      }
    })
    .map(Number)
}
/** Nothing that holds a token is left under the runner's temp: only the harness's files. */
const leftInTemp = () => readdirSync(job.temp).filter((name) => name.startsWith('mint-token-'))

describe('git-credentials alone: clone and push in later steps, undone by post', () => {
  test('git authenticates with the token from a private file; after post it has no credentials', async () => {
    const main = await runStep(job, 'main', { ...key(), 'git-credentials': 'true' })
    expect(main.exitCode).toBe(0)
    const token = main.outputs.token!
    expect(main.stdout).toContain(
      `Configured git to authenticate to ${server.url} with the token, for the later steps.`
    )
    // The token file no one asked for: private, outside the workspace, not an output.
    const own = handoffOf(main).git!.file!
    expect(own.path).toMatch(new RegExp(`^${job.temp}/mint-token-[^/]+/token$`))
    expect(readFileSync(own.path, 'utf8')).toBe(token)
    expect(lstatSync(own.path).mode & 0o777).toBe(0o600)
    expect(lstatSync(own.createdDirs[0]!).mode & 0o777).toBe(0o700)
    expect(main.outputs['token-file']).toBeUndefined()
    expect(Object.keys(main.exported).sort()).toEqual([
      'GIT_CONFIG_COUNT',
      'GIT_CONFIG_KEY_0',
      'GIT_CONFIG_KEY_1',
      'GIT_CONFIG_VALUE_0',
      'GIT_CONFIG_VALUE_1'
    ])
    expect(main.exported).toMatchObject({
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: `credential.${server.url}.helper`,
      GIT_CONFIG_VALUE_0: '',
      GIT_CONFIG_KEY_1: `credential.${server.url}.helper`
    })
    expect(main.exported.GIT_CONFIG_VALUE_1).toContain(own.path)
    for (const part of fragmentsOf(token))
      expect(Object.values(main.exported).join('\n')).not.toContain(part)
    exportToJob(job, main)

    // A later step: clone, commit, push.
    const work = join(job.temp, 'work')
    expect(await runGit(['clone', '-q', server.repoUrl, work], { env: gitEnv() })).toMatchObject({
      code: 0
    })
    writeFileSync(join(work, 'CHANGES.md'), 'pushed by the App\n')
    await runGit(['add', 'CHANGES.md'], { env: gitEnv(), cwd: work })
    await runGit(['commit', '-q', '-m', 'Push'], { env: { ...gitEnv(), ...IDENTITY }, cwd: work })
    const push = await runGit(['push', '-q', 'origin', 'main'], { env: gitEnv(), cwd: work })
    expect(push).toMatchObject({ code: 0 })
    const head = (await runGit(['rev-parse', 'HEAD'], { env: gitEnv(), cwd: work })).stdout.trim()
    expect(server.revParse('refs/heads/main')).toBe(head)
    expect(new Set(gitSeen().map(([user, t]) => `${user}:${t}`))).toEqual(
      new Set(['undefined:undefined', `x-access-token:${token}`])
    )
    expect(readdirSync(home)).toEqual([])
    expect(readFileSync(join(work, '.git/config'), 'utf8')).not.toContain('credential')

    const post = await runStep(job, 'post', { ...key(), 'git-credentials': 'true' }, main.state)
    expect(post.exitCode).toBe(0)
    expect(post.warnings).toEqual([])
    expect(logLines(post)).toEqual([
      'Revoked the installation token.',
      'Removed the git credential configuration for the later post steps.'
    ])
    expect(post.exported).toEqual({
      GIT_CONFIG_COUNT: '0',
      GIT_CONFIG_KEY_0: '',
      GIT_CONFIG_VALUE_0: '',
      GIT_CONFIG_KEY_1: '',
      GIT_CONFIG_VALUE_1: ''
    })
    exportToJob(job, post)
    expect(revoked(token)).toBe(true)
    expect(existsSync(own.path)).toBe(false)
    expect(existsSync(own.createdDirs[0]!)).toBe(false)
    expect(leftInTemp()).toEqual([])

    // A later post step's git: no helper any more, so git has nothing to send.
    const fetch = await runGit(['fetch', '-q', 'origin'], { env: gitEnv(), cwd: work })
    expect(fetch.code).toBe(128)
    expect(fetch.stderr).toBe(
      `fatal: could not read Username for '${server.url}': terminal prompts disabled\n`
    )
    expect(gitSeen()).toEqual([[undefined, undefined, 401]])
    expect(calls()).toEqual([
      'GET /repos/octo-org/app/installation',
      `POST /app/installations/${installationId}/access_tokens`,
      'DELETE /installation/token'
    ])
    expect(post.summary).toContain('<tr><th>Git credentials</th><td>removed</td></tr>')
  })
})

/** Polls the token file: each token it held and when it first showed, and when each was revoked. */
function watchTokenFile(file: string, first: string) {
  const swaps = [{ token: first, at: Date.now() }]
  const revokedAt = new Map<string, number>()
  const problems: string[] = []
  const timer = setInterval(() => {
    for (const { token } of swaps)
      if (!revokedAt.has(token) && revoked(token)) revokedAt.set(token, Date.now())
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      return // Deleted by the post step.
    }
    if (text === swaps.at(-1)!.token) return
    if (!fake.tokens.has(text)) problems.push(text === '' ? 'an empty file' : 'an unknown token')
    else swaps.push({ token: text, at: Date.now() })
  }, 10)
  return { swaps, revokedAt, problems, stop: () => clearInterval(timer) }
}

describe("token-refresh + token-file + git-credentials: a job outliving its token, on GitHub's clock", () => {
  test('one refresh by rename, the old token revoked, git follows, post stops and removes all', async () => {
    // The one test that waits for a real refresh (the others run the refresher on a fake clock:
    // refresh-loop.test.ts). GitHub's clock is 2 hours ahead of the runner's: the refresh comes
    // on GitHub's schedule only if the main step hands the refresher the offset it learned.
    fake.clockSkewMs = 2 * 3_600_000
    // Refreshed when a third of its life is left (16 s in): time for main and a clone before.
    fake.tokenLifetimeMs = 24_000
    const inputs = {
      ...key(),
      'token-file': 'true',
      'token-refresh': 'true',
      'git-credentials': 'true'
    }
    const started = Date.now()
    const main = await runStep(job, 'main', inputs)
    const mainMs = Date.now() - started
    expect(main.exitCode).toBe(0)
    const first = main.outputs.token!
    const file = main.outputs['token-file']!
    const state = handoffOf(main)
    const { pid } = state.refresher!
    expect(logLines(main)).toEqual(
      expect.arrayContaining([
        `Wrote the credential to ${file} (mode 0600); the post step deletes it.`,
        `Started the token refresher (pid ${pid}).`,
        `Configured git to authenticate to ${server.url} with the token, for the later steps.`
      ])
    )
    // git's helper reads the token file itself, so no second, private file was written.
    expect(state.git!.file).toBeUndefined()
    expect(main.exported.GIT_CONFIG_VALUE_1).toContain(`< '${file}'`)
    const inode = lstatSync(file).ino
    expect(state.file!.ino).toBe(inode)
    const watch = watchTokenFile(file, first)
    exportToJob(job, main)

    const work = join(job.temp, 'work')
    expect(await runGit(['clone', '-q', server.repoUrl, work], { env: gitEnv() })).toMatchObject({
      code: 0
    })
    expect(gitSeen()).toContainEqual(['x-access-token', first, 200])

    // The refresh: the `token` output, the first token, is revoked 5 s before it expires
    // (sooner than its grace).
    await until('the refresh', () => watch.swaps.length >= 2, 60_000)
    const second = watch.swaps[1]!.token
    // A new file renamed in (so a container mounts the directory), nothing else left in the
    // directory: made while the first existed, so it can't have that one's inode.
    expect(lstatSync(file).ino).not.toBe(inode)
    expect(lstatSync(file).mode & 0o777).toBe(0o600)
    expect(readdirSync(dirname(file))).toEqual(['token'])
    await until('the first token revoked', () => watch.revokedAt.has(first), 60_000)
    // A later step's git: its credential helper reads the refreshed file.
    const fetch = await runGit(['fetch', '-q', 'origin'], { env: gitEnv(), cwd: work })
    expect(fetch).toMatchObject({ code: 0 })
    expect(gitSeen()).toEqual([
      [undefined, undefined, 401],
      ['x-access-token', second, 200],
      ['x-access-token', second, 200]
    ])
    const tokens = [first, second]
    // The refresher holds every token and the key, yet shows none in argv or environ.
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8')
    expect(cmdline.split('\0').slice(3, 5)).toEqual([REFRESHER_MARKER, state.refresher!.nonce])
    expect(environ).not.toMatch(/(^|\0)(INPUT_|GITHUB_|GIT_CONFIG_)/)
    for (const part of [...tokens.flatMap(fragmentsOf), ...keyLinesOf(fake.app.privateKey)]) {
      expect(cmdline).not.toContain(part)
      expect(environ).not.toContain(part)
      expect(readFileSync(state.refresher!.statusFile, 'utf8')).not.toContain(part)
    }

    const stopping = Date.now()
    const post = await runStep(job, 'post', inputs, main.state)
    const postMs = Date.now() - stopping
    watch.stop()
    expect(post.exitCode).toBe(0)
    expect(post.warnings).toEqual([])
    const refreshes = watch.swaps.length - 1
    const hashes = watch.swaps.map((s) => tokenHash(s.token)).join(', ')
    expect(logLines(post)).toEqual([
      'Stopped the token refresher.',
      `The token was refreshed ${refreshes} time(s).`,
      `The tokens' hashes for the audit log (hashed_token), oldest first: ${hashes}.`,
      'Revoked the installation token.',
      `Deleted the token file ${file}.`,
      'Removed the git credential configuration for the later post steps.'
    ])
    expect(post.summary).toContain(`<tr><th>Refreshes</th><td>${refreshes}</td></tr>`)
    expect(post.summary).toContain(
      `<tr><th>Token hashes (audit log), oldest first</th><td>${hashes}</td></tr>`
    )
    // The post step read the current token from the file, masked it and revoked it.
    const current = watch.swaps.at(-1)!.token
    expect(post.stdout).toContain(`::add-mask::${current}`)
    for (const token of watch.swaps.map((s) => s.token)) expect(revoked(token)).toBe(true)
    // Each replaced token went within 60 s of the swap that replaced it.
    for (let i = 0; i + 1 < watch.swaps.length; i++) {
      const { token } = watch.swaps[i]!
      const after = (watch.revokedAt.get(token) ?? Date.now()) - watch.swaps[i + 1]!.at
      expect(after).toBeLessThanOrEqual(60_000)
    }
    expect(watch.problems).toEqual([])
    expect(await gone(pid)).toBe(true)
    expect(refreshersOf(job)).toEqual([])
    for (const path of [file, ...state.file!.createdDirs, state.refresher!.dir])
      expect(existsSync(path)).toBe(false)
    expect(leftInTemp()).toEqual([])
    const mints = fake.requests.filter((r) => r.method === 'POST')
    expect(mints.map((r) => r.body)).toEqual(mints.map(() => ({ repositories: ['app'] })))
    expect(mints.map((r) => r.status)).toEqual(watch.swaps.map(() => 201))
    exportToJob(job, post)
    const after = await runGit(['fetch', '-q', 'origin'], { env: gitEnv(), cwd: work })
    expect(after.code).toBe(128)
    console.log(
      `refresh e2e: main ${mainMs} ms, swaps at ${watch.swaps.map((s) => s.at - started).join(', ')} ms, post ${postMs} ms, total ${Date.now() - started} ms`
    )
  }, 120_000)
})

/** A main step refused before any request: one error line, nothing set, nothing written. */
function expectRefused(main: StepResult, message: string) {
  expect(main.exitCode).toBe(1)
  expect(main.errors).toEqual([message])
  expect(main.outputs).toEqual({})
  expect(main.state).toEqual({})
  expect(main.exported).toEqual({})
  expect(fake.requests).toEqual([])
  expect(leftInTemp()).toEqual([])
  expect(refreshersOf(job)).toEqual([])
}

const NEEDS_FILE =
  "Input 'token-refresh' needs 'token-file' and 'token-type: installation': refreshed tokens are written to the token file, and only installation tokens can be minted again."

describe('token-refresh: refused without token-file and for runner credentials', () => {
  test('without token-file', async () => {
    const main = await runStep(job, 'main', { ...key(), 'token-refresh': 'true' })
    expectRefused(main, NEEDS_FILE)
  })

  test.each(['runner-registration', 'runner-jit'])('for token-type: %s', async (tokenType) => {
    const main = await runStep(job, 'main', {
      ...key(),
      owner: 'octo-org',
      'token-type': tokenType,
      'runner-labels': 'self-hosted',
      'token-file': 'true',
      'token-refresh': 'true'
    })
    expectRefused(main, NEEDS_FILE)
  })
})

describe('git-credentials: a GIT_CONFIG_COUNT git would refuse', () => {
  test('is refused before minting, so no token, file or process is made', async () => {
    job.env.GIT_CONFIG_COUNT = 'two'
    const main = await runStep(job, 'main', {
      ...key(),
      'token-file': 'true',
      'token-refresh': 'true',
      'git-credentials': 'true'
    })
    expectRefused(
      main,
      "GIT_CONFIG_COUNT is 'two' in the environment, which is not a count. Expected a whole number such as 0, as git does; fix the step that set it."
    )
  })
})

describe('failure after the refresher started: nothing is left behind', () => {
  const inputs = () => ({
    ...key(),
    'token-file': 'true',
    'token-refresh': 'true',
    'git-credentials': 'true'
  })

  test('the variables cannot be exported: refresher stopped, files deleted, token revoked', async () => {
    // The last of publishing: the state (saved at the mint, then the hand-off's) is written.
    const missing = join(job.temp, 'missing/env')
    const main = await runStep(job, 'main', inputs(), {}, { env: { GITHUB_ENV: missing } })
    expect(main.exitCode).toBe(1)
    expect(main.errors).toEqual([`Missing file at path: ${missing}`])
    const pid = Number(/Started the token refresher \(pid (\d+)\)\./.exec(main.stdout)?.[1])
    expect(pid).toBeGreaterThan(1)
    expect(logLines(main).at(-1)).toBe(
      'The step failed after minting; what it had minted and set up is undone.'
    )
    expect(main.warnings).toEqual([])
    expect(await gone(pid)).toBe(true)
    expect(refreshersOf(job)).toEqual([])
    expect(leftInTemp()).toEqual([])
    const token = main.outputs.token!
    expect(revoked(token)).toBe(true)
    expect(calls()).toEqual([
      'GET /repos/octo-org/app/installation',
      `POST /app/installations/${installationId}/access_tokens`,
      'DELETE /installation/token'
    ])
    // None reached GITHUB_ENV, and git in a later step has no credential.
    expect(main.exported).toEqual({})
    exportToJob(job, main)
    const result = await runGit(['ls-remote', server.repoUrl], { env: gitEnv() })
    expect(result.code).toBe(128)
    expect(gitSeen()).toEqual([[undefined, undefined, 401]])
  })

  test('GET /rate_limit answers nonsense: the refresher never started, the token is revoked', async () => {
    const mitm = await startManInTheMiddle(fake.url)
    try {
      mitm.intercept({ method: 'GET', path: '/rate_limit', rewrite: () => ({ body: '{}' }) })
      const main = await runStep(job, 'main', {
        ...inputs(),
        'rate-limit': 'true',
        'github-api-url': mitm.url
      })
      expect(main.exitCode).toBe(1)
      expect(main.errors).toEqual([
        "GET /rate_limit answered without integer limit, remaining, reset and used for 'core'."
      ])
      expect(main.stdout).not.toContain('token refresher')
      expect(main.stdout).not.toContain('Wrote the credential')
      expect(main.exported).toEqual({})
      expect(Object.keys(main.state).sort()).toEqual(['revocation', 'token', 'undone'])
      expect(refreshersOf(job)).toEqual([])
      expect(leftInTemp()).toEqual([])
      expect([...fake.tokens.values()].map((t) => t.revoked)).toEqual([true])
      expect(calls()).toEqual([
        'GET /repos/octo-org/app/installation',
        `POST /app/installations/${installationId}/access_tokens`,
        'GET /rate_limit',
        'DELETE /installation/token'
      ])
    } finally {
      await mitm.close()
    }
  })
})

describe('token-file with a DEL character in its path, with git-credentials', () => {
  test('what the check before minting accepts, git is configured with: clone works, post removes it', async () => {
    // DEL (U+007F) is no C0 control character: the token-file check lets it through, and the
    // shell's single quotes and GIT_CONFIG_VALUE_<n> carry it as is.
    const path = join(job.temp, 'secrets/tok\u007fen')
    const inputs = { ...key(), 'token-file': 'secrets/tok\u007fen', 'git-credentials': 'true' }
    const main = await runStep(job, 'main', inputs)
    expect(main.errors).toEqual([])
    expect(main.outputs['token-file']).toBe(path)
    // The log shows it neutralized: DEL, like every control character, hides what follows.
    const shown = path.replace('\u007f', ' ')
    expect(logLines(main)).toContain(
      `Wrote the credential to ${shown} (mode 0600); the post step deletes it.`
    )
    expect(readFileSync(path, 'utf8')).toBe(main.outputs.token)
    exportToJob(job, main)
    const work = join(job.temp, 'work')
    expect(await runGit(['clone', '-q', server.repoUrl, work], { env: gitEnv() })).toMatchObject({
      code: 0
    })
    const post = await runStep(job, 'post', inputs, main.state)
    expect(logLines(post)).toContain(`Deleted the token file ${shown}.`)
    expect(existsSync(join(job.temp, 'secrets'))).toBe(false)
    expect(revoked(main.outputs.token!)).toBe(true)
  })
})
