import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { fragmentsOf, jitConfigInnerSecrets } from '../../harness/assert-no-leaks.js'
import { startManInTheMiddle } from '../../harness/man-in-the-middle.js'
import {
  exportToJob,
  filesBelow,
  HARNESS_FILE,
  leftInTemp as leftInTempOf,
  newJob,
  runStep,
  type Job,
  type StepResult,
  expectRefused
} from '../../harness/run-action.js'
import { expectAllRevoked } from '../../harness/expect-all-revoked.js'

/** End-to-end tests of the hand-off inputs (issue 9): the bundled dist/ against the fake. */

let fake: FakeGitHub
let job: Job
let installationId: number

beforeEach(async () => {
  fake = await startFakeGitHub()
  installationId = fake.addInstallation({
    account: 'octo-org',
    repositorySelection: 'all',
    repositories: ['app', 'docs'],
    permissions: { contents: 'write', metadata: 'read', organization_self_hosted_runners: 'write' }
  }).id
  job = newJob(fake.url)
})
afterEach(async () => fake.close())

const key = (more: Record<string, string> = {}) => ({
  'app-id': String(fake.app.id),
  'private-key': fake.app.privateKey,
  ...more
})
const jit = (more: Record<string, string> = {}) =>
  key({ owner: 'octo-org', 'token-type': 'runner-jit', 'runner-labels': 'self-hosted', ...more })
const registration = (more: Record<string, string> = {}) =>
  key({ owner: 'octo-org', 'token-type': 'runner-registration', ...more })
const calls = () => fake.requests.map((r) => `${r.method} ${r.path}`)
const mode = (path: string) => lstatSync(path).mode & 0o777
const mint = () => `POST /app/installations/${installationId}/access_tokens`
const LOOKUP = 'GET /repos/octo-org/app/installation'
const BOT = 'fake-mint-token[bot]'
const BOT_CALL = 'GET /users/fake-mint-token%5Bbot%5D'
const row = (name: string, value: string) => `<tr><th>${name}</th><td>${value}</td></tr>`

const leftInTemp = () => leftInTempOf(job)

/** Every credential the fake handed out: installation and registration tokens, JIT configs. */
function credentials(): string[] {
  const replies = fake.requests.map((r) => (r.responseBody ?? {}) as Record<string, unknown>)
  const issued = replies.flatMap((body) => [
    ...(typeof body.encoded_jit_config === 'string'
      ? jitConfigInnerSecrets(body.encoded_jit_config)
      : []),
    ...(typeof body.token === 'string' ? [body.token] : [])
  ])
  return [...new Set([...fake.tokens.keys(), ...issued])]
}

/**
 * The leak check's extension to RUNNER_TEMP (and the folders given): no file the action made
 * there holds any part of a credential, except the token file itself. The harness's file-command
 * files are skipped: outputs hold the token by design, and the harness checks GITHUB_ENV.
 */
function expectCredentialsOnlyIn(tokenFile: string | undefined, dirs: string[] = []) {
  const fragments = credentials().flatMap(fragmentsOf)
  const leaks = [job.temp, ...dirs]
    .flatMap(filesBelow)
    .filter(({ path }) => path !== tokenFile)
    .filter(
      ({ path }) =>
        !(dirname(path) === job.temp && HARNESS_FILE.test(path.slice(job.temp.length + 1)))
    )
    .filter(({ content }) => fragments.some((fragment) => content.includes(fragment)))
  expect(leaks.map(({ path }) => path)).toEqual([])
}

/**
 * main, then post with main's state and exports, as a job with one `uses:` step; the credential
 * check of RUNNER_TEMP after each, and `between` (e.g. reading the token file) after main.
 */
async function runBoth(
  inputs: Record<string, string>,
  options: { dirs?: string[]; between?: (main: StepResult) => void } = {}
) {
  const main = await runStep(job, 'main', inputs)
  expectCredentialsOnlyIn(main.outputs['token-file'], options.dirs)
  options.between?.(main)
  exportToJob(job, main)
  const post = await runStep(job, 'post', inputs, main.state)
  expectCredentialsOnlyIn(undefined, options.dirs)
  exportToJob(job, post)
  return { main, post }
}

/** A token file as main left it: what it holds, and its modes and its directory's. */
function tokenFileOf(main: StepResult) {
  const path = main.outputs['token-file']!
  return {
    path,
    content: readFileSync(path, 'utf8'),
    isFile: lstatSync(path).isFile(),
    mode: mode(path),
    dirMode: mode(dirname(path))
  }
}

/** The audit log's `hashed_token`, computed as GitHub's docs say. */
function opensslHash(token: string): string {
  return execFileSync('bash', ['-c', 'echo -n "$TOKEN" | openssl dgst -sha256 -binary | base64'], {
    env: { PATH: process.env.PATH ?? '', TOKEN: token },
    encoding: 'utf8'
  }).trim()
}

describe('main: token-file: true', () => {
  test('a new 0700 directory under RUNNER_TEMP holds `token` (0600) with exactly the token; post revokes, then deletes both and says so', async () => {
    let file: ReturnType<typeof tokenFileOf> | undefined
    const { main, post } = await runBoth(key({ 'token-file': 'true' }), {
      between: (m) => (file = tokenFileOf(m))
    })
    expect(main.exitCode).toBe(0)
    const token = main.outputs.token!
    const path = main.outputs['token-file']!
    const dir = dirname(path)
    expect(dir).toMatch(new RegExp(`^${job.temp}/mint-token-[^/]+$`))
    expect(path).toBe(join(dir, 'token'))
    expect(file).toEqual({ path, content: token, isFile: true, mode: 0o600, dirMode: 0o700 })
    expect(main.stdout).toContain(
      `Wrote the credential to ${path} (mode 0600); the post step deletes it.`
    )
    expect(main.summary).toContain(row('Token file', path))
    expect(post.exitCode).toBe(0)
    expect(post.warnings).toEqual([])
    const lines = post.stdout.split('\n')
    const revoked = lines.indexOf('Revoked the installation token.')
    expect(revoked).toBeGreaterThanOrEqual(0)
    expect(lines.indexOf(`Deleted the token file ${path}.`)).toBeGreaterThan(revoked)
    expect(existsSync(dir)).toBe(false)
    expect(post.summary).toContain('mint-token: hand-off cleanup')
    expect(post.summary).toContain(row('Token file', 'deleted'))
    expect(fake.tokens.get(token)!.revoked).toBe(true)
    expect(leftInTemp()).toEqual([])
  })
})

describe('main: token-file: a relative path', () => {
  test('is taken under RUNNER_TEMP; missing parents are made 0700 and removed in post, existing ones kept', async () => {
    mkdirSync(join(job.temp, 'shared'), { mode: 0o755 })
    let file: ReturnType<typeof tokenFileOf> | undefined
    const { main, post } = await runBoth(key({ 'token-file': 'shared/gh/secrets/token' }), {
      between: (m) => (file = tokenFileOf(m))
    })
    expect(main.exitCode).toBe(0)
    const path = join(job.temp, 'shared/gh/secrets/token')
    expect(main.outputs['token-file']).toBe(path)
    expect(file).toEqual({
      path,
      content: main.outputs.token,
      isFile: true,
      mode: 0o600,
      dirMode: 0o700
    })
    expect(post.stdout).toContain(`Deleted the token file ${path}.`)
    expect(existsSync(join(job.temp, 'shared/gh'))).toBe(false)
    expect(mode(join(job.temp, 'shared'))).toBe(0o755)
    expect(leftInTemp()).toEqual(['shared'])
  })

  test('missing parent directories are made with mode 0700', async () => {
    const main = await runStep(job, 'main', key({ 'token-file': 'a/b/token' }))
    expect(main.exitCode).toBe(0)
    expect([mode(join(job.temp, 'a')), mode(join(job.temp, 'a/b'))]).toEqual([0o700, 0o700])
  })
})

describe('main: token-file: an absolute path outside the workspace', () => {
  test('is used as given; post deletes the file and leaves the directory it did not make', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'mint-token-elsewhere-'))
    try {
      const path = join(elsewhere, 'gh-token')
      let file: ReturnType<typeof tokenFileOf> | undefined
      const { main, post } = await runBoth(key({ 'token-file': path }), {
        dirs: [elsewhere],
        between: (m) => (file = tokenFileOf(m))
      })
      expect(main.outputs['token-file']).toBe(path)
      expect(file!.content).toBe(main.outputs.token)
      expect(file!.mode).toBe(0o600)
      expect(post.stdout).toContain(`Deleted the token file ${path}.`)
      expect(readdirSync(elsewhere)).toEqual([])
    } finally {
      rmSync(elsewhere, { recursive: true, force: true })
    }
  })
})

describe('main: token-file refused before any request', () => {
  const refusal = (value: string, why: string) => `Input 'token-file' is '${value}', which ${why}.`
  const INSIDE =
    'is inside GITHUB_WORKSPACE, where credentials must never be written (other steps and artifacts read it); use a path under RUNNER_TEMP, or true'

  /** Refused: one exact error line, no output, no state, no request; what was there untouched. */
  async function expectPathRefused(value: string, why: string) {
    const before = snapshot()
    const main = await runStep(job, 'main', key({ 'token-file': value }))
    expectRefused(main, refusal(value, why))
    expect(calls()).toEqual([])
    expect(fake.tokens.size).toBe(0)
    expect(snapshot()).toEqual(before)
  }

  /** The workspace and RUNNER_TEMP: each entry's type, mode, link target or content. */
  function snapshot() {
    return [job.workspace, job.temp].map((dir) =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((name) => !HARNESS_FILE.test(name))
        .sort()
        .map((name) => {
          const path = join(dir, name)
          const stats = lstatSync(path)
          if (stats.isSymbolicLink()) return `${name} -> ${readlinkSync(path)}`
          if (stats.isDirectory()) return `${name}/ ${stats.mode & 0o777}`
          return `${name} ${stats.mode & 0o777} ${readFileSync(path, 'utf8')}`
        })
    )
  }

  test('a path in GITHUB_WORKSPACE', async () => {
    await expectPathRefused(join(job.workspace, '.secrets/token'), INSIDE)
  })

  test('the workspace itself, relative to RUNNER_TEMP', async () => {
    const relative = join('..', job.workspace.split('/').pop()!, 'token')
    await expectPathRefused(relative, INSIDE)
  })

  test('a path that reaches the workspace through a symlink', async () => {
    symlinkSync(job.workspace, join(job.temp, 'work'))
    await expectPathRefused('work/new/token', INSIDE)
  })

  test('an existing symlink, even to a file outside the workspace', async () => {
    writeFileSync(join(job.temp, 'target'), 'not a token\n', { mode: 0o644 })
    symlinkSync(join(job.temp, 'target'), join(job.temp, 'link'))
    await expectPathRefused('link', 'is a symbolic link; links are never followed')
  })

  test('a dangling symlink', async () => {
    symlinkSync(join(job.temp, 'nowhere'), join(job.temp, 'link'))
    await expectPathRefused('link', 'is a symbolic link; links are never followed')
    expect(existsSync(join(job.temp, 'nowhere'))).toBe(false)
  })

  test('an existing file', async () => {
    const path = join(job.temp, 'existing')
    writeFileSync(path, 'keep me\n', { mode: 0o640 })
    await expectPathRefused(path, 'already exists; an existing file is never overwritten')
  })

  test("'false'", async () => {
    const main = await runStep(job, 'main', key({ 'token-file': 'false' }))
    expectRefused(
      main,
      "Input 'token-file' is 'false'; leave it empty for no file, set 'true' for a new private file under RUNNER_TEMP, or give a path."
    )
    expect(calls()).toEqual([])
  })
})

describe('main: export-env', () => {
  test('each name reaches the later steps through GITHUB_ENV, holding the token', async () => {
    const { main, post } = await runBoth(key({ 'export-env': 'GH_TOKEN, GITHUB_TOKEN\nMY_TOKEN' }))
    expect(main.exitCode).toBe(0)
    const token = main.outputs.token!
    expect(main.exported).toEqual({ GH_TOKEN: token, GITHUB_TOKEN: token, MY_TOKEN: token })
    expect(main.summary).toContain(
      row('Exported to later steps', 'GH_TOKEN, GITHUB_TOKEN, MY_TOKEN')
    )
    expect(post.exitCode).toBe(0)
    expect(fake.tokens.get(token)!.revoked).toBe(true)
    expect(leftInTemp()).toEqual([])
  })

  test('without export-env, nothing is exported', async () => {
    const { main } = await runBoth(key())
    expect(main.exitCode).toBe(0)
    expect(main.exported).toEqual({})
  })

  const NOT_A_NAME = (name: string) =>
    `Input 'export-env' has '${name}', which is not a variable name; expected names like GH_TOKEN (letters, digits and '_', not starting with a digit), separated by commas or newlines.`
  const RESERVED = (name: string, who: string) =>
    `Input 'export-env' has '${name}', a variable read by ${who} that changes how it runs; choose another name, e.g. GH_TOKEN or GITHUB_TOKEN.`
  test.each([
    ['GH_TOKEN, 1TOKEN', NOT_A_NAME('1TOKEN')],
    ['GH-TOKEN', NOT_A_NAME('GH-TOKEN')],
    ['GH_TOKEN=x', NOT_A_NAME('GH_TOKEN=x')],
    ['PATH', RESERVED('PATH', 'the shell')],
    ['GITHUB_ENV', RESERVED('GITHUB_ENV', 'the runner')],
    ['NODE_OPTIONS', RESERVED('NODE_OPTIONS', 'Node or npm')],
    ['GH_TOKEN, GIT_ASKPASS', RESERVED('GIT_ASKPASS', 'git')],
    ['GIT_SSH_COMMAND', RESERVED('GIT_SSH_COMMAND', 'git')],
    ['NODE_EXTRA_CA_CERTS', RESERVED('NODE_EXTRA_CA_CERTS', 'Node or npm')],
    ['LD_PRELOAD', RESERVED('LD_PRELOAD', 'the dynamic linker')],
    ['BASH_ENV', RESERVED('BASH_ENV', 'the shell')],
    ['https_proxy', RESERVED('https_proxy', 'curl, OpenSSL and HTTP clients')]
  ])('%j is refused before any request', async (value, message) => {
    const main = await runStep(job, 'main', key({ 'export-env': value, 'token-file': 'true' }))
    expectRefused(main, message)
    expect(calls()).toEqual([])
    expect(leftInTemp()).toEqual([])
  })
})

describe('output: token-hash', () => {
  test('installation token: the base64 SHA-256 that the audit log shows, also in the summary', async () => {
    const { main } = await runBoth(key())
    const token = main.outputs.token!
    const hash = opensslHash(token)
    expect(hash).toMatch(/^[A-Za-z0-9+/]{43}=$/)
    expect(main.outputs['token-hash']).toBe(hash)
    expect(createHash('sha256').update(token).digest('base64')).toBe(hash)
    expect(main.summary).toContain(row('Token hash (audit log)', `<code>${hash}</code>`))
  })

  test('registration token: the same hash of the registration token', async () => {
    const { main } = await runBoth(registration())
    expect(main.exitCode).toBe(0)
    const hash = opensslHash(main.outputs.token!)
    expect(main.outputs['token-hash']).toBe(hash)
    expect(main.summary).toContain(row('Token hash (audit log)', `<code>${hash}</code>`))
  })

  test('a JIT config has none: it is not a token the audit log shows', async () => {
    const { main } = await runBoth(jit())
    expect(main.exitCode).toBe(0)
    expect(main.outputs['token-hash']).toBeUndefined()
  })
})

describe('main: bot-identity', () => {
  const botUser = () => fake.requests.find((r) => `${r.method} ${r.path}` === BOT_CALL)!

  test('one extra request, GET /users/<slug>[bot] with the new token; name, id and noreply email', async () => {
    const { main } = await runBoth(key({ 'bot-identity': 'true' }))
    expect(main.exitCode).toBe(0)
    expect(calls()).toEqual([LOOKUP, mint(), BOT_CALL, 'DELETE /installation/token'])
    expect(botUser().auth).toBe('token')
    const id = (botUser().responseBody as { id: number }).id
    expect(id).toEqual(expect.any(Number))
    expect(main.outputs['bot-name']).toBe(BOT)
    expect(main.outputs['bot-user-id']).toBe(String(id))
    // The harness's GITHUB_SERVER_URL is https://github.example.
    expect(main.outputs['bot-email']).toBe(`${id}+${BOT}@users.noreply.github.example`)
    expect(main.summary).toContain(
      row('Bot', `${BOT} &lt;${id}+${BOT}@users.noreply.github.example&gt;`)
    )
  })

  test("the debug line names the bot user as written, not percent-encoded ('%255B')", async () => {
    const { main } = await runBoth(key({ 'bot-identity': 'true' }))
    const lines = main.stdout.split('\n').filter((line) => line.startsWith('::debug::GET /users/'))
    expect(lines).toEqual([
      expect.stringMatching(/^::debug::GET \/users\/fake-mint-token\[bot\]: HTTP 200 in \d+ ms$/)
    ])
  })

  test('installation-id given: GET /app for the slug, then the bot user', async () => {
    const id = String(installationId)
    const { main } = await runBoth(key({ 'bot-identity': 'true', 'installation-id': id }))
    expect(main.exitCode).toBe(0)
    expect(calls()).toEqual([mint(), 'GET /app', BOT_CALL, 'DELETE /installation/token'])
    expect(fake.requests[1]!.auth).toBe('jwt')
    expect(main.outputs['bot-name']).toBe(BOT)
  })

  test("GHES: the noreply domain is the server's host name, without its port", async () => {
    job.env.GITHUB_SERVER_URL = 'https://ghes.corp.example:8443'
    const { main } = await runBoth(key({ 'bot-identity': 'true' }))
    const id = main.outputs['bot-user-id']!
    expect(main.outputs['bot-email']).toBe(`${id}+${BOT}@users.noreply.ghes.corp.example`)
  })

  test('without bot-identity: no request, no outputs', async () => {
    const { main } = await runBoth(key())
    expect(calls()).toEqual([LOOKUP, mint(), 'DELETE /installation/token'])
    expect(Object.keys(main.outputs).filter((name) => name.startsWith('bot-'))).toEqual([])
  })
})

describe('main: rate-limit', () => {
  test('one GET /rate_limit with the new token: the output, the log line, the summary row', async () => {
    const { main } = await runBoth(key({ 'rate-limit': 'true' }))
    expect(main.exitCode).toBe(0)
    expect(calls()).toEqual([LOOKUP, mint(), 'GET /rate_limit', 'DELETE /installation/token'])
    const asked = fake.requests[2]!
    // The only token the fake knows is the one just minted.
    expect([asked.auth, asked.status, fake.tokens.size]).toEqual(['token', 200, 1])
    const { resources } = asked.responseBody as { resources: Record<string, unknown> }
    const { core, graphql, search } = resources as Record<string, Record<string, number>>
    expect(JSON.parse(main.outputs['rate-limit']!)).toEqual({ core, graphql, search })
    for (const budget of [core, graphql, search])
      expect(Object.keys(budget!).sort()).toEqual(['limit', 'remaining', 'reset', 'used'])
    const resets = new Date(core!.reset! * 1000).toISOString().replace('.000', '')
    const described = `core: ${core!.remaining}/${core!.limit}, resets at ${resets}`
    expect(described).toMatch(/^core: 4988\/5000, resets at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(main.stdout.split('\n')).toContain(`Rate limit of the new token: ${described}.`)
    expect(main.summary).toContain(row('Rate limit', described))
  })
})

describe('combinations', () => {
  test('token-file + export-env: the same token in the file and in the exported variable', async () => {
    let file: ReturnType<typeof tokenFileOf> | undefined
    const { main, post } = await runBoth(key({ 'token-file': 'true', 'export-env': 'GH_TOKEN' }), {
      between: (m) => (file = tokenFileOf(m))
    })
    const token = main.outputs.token!
    expect(file!.content).toBe(token)
    expect(main.exported).toEqual({ GH_TOKEN: token })
    expect(post.stdout).toContain(`Deleted the token file ${main.outputs['token-file']}.`)
    expect(fake.tokens.get(token)!.revoked).toBe(true)
    expect(leftInTemp()).toEqual([])
  })

  test('runner-jit + token-file: the file holds exactly the JIT config; post removes it, runner-cleanup as before', async () => {
    let file: ReturnType<typeof tokenFileOf> | undefined
    const { main, post } = await runBoth(
      jit({ 'token-file': 'true', 'runner-cleanup': 'if-unused' }),
      {
        between: (m) => (file = tokenFileOf(m))
      }
    )
    expect(main.exitCode).toBe(0)
    const path = main.outputs['token-file']!
    expect(file).toEqual({
      path,
      content: main.outputs['jit-config'],
      isFile: true,
      mode: 0o600,
      dirMode: 0o700
    })
    const runner = `runner ${main.outputs['runner-name']} (id ${main.outputs['runner-id']})`
    expect(post.exitCode).toBe(0)
    expect(post.warnings).toEqual([])
    const lines = post.stdout.split('\n')
    const removed = lines.indexOf(`Removed ${runner}.`)
    expect(removed).toBeGreaterThanOrEqual(0)
    expect(lines.indexOf(`Deleted the token file ${path}.`)).toBeGreaterThan(removed)
    expect(fake.runners).toEqual([])
    expectAllRevoked(fake)
    expect(leftInTemp()).toEqual([])
  })

  test("runner-jit + token-file, 'runner-cleanup: never': the runner stays, the file goes", async () => {
    const { main, post } = await runBoth(jit({ 'token-file': 'true' }))
    expect(post.stdout).toContain(
      `Leaving runner ${main.outputs['runner-name']} (id ${main.outputs['runner-id']}) registered ('runner-cleanup: never'); an ephemeral runner removes itself after its job.`
    )
    expect(post.stdout).toContain(`Deleted the token file ${main.outputs['token-file']}.`)
    expect(fake.runners).toHaveLength(1)
    expect(leftInTemp()).toEqual([])
  })

  test('runner-registration + token-file: the file holds the registration token; post deletes it', async () => {
    let file: ReturnType<typeof tokenFileOf> | undefined
    const { main, post } = await runBoth(registration({ 'token-file': 'runner/token' }), {
      between: (m) => (file = tokenFileOf(m))
    })
    expect(main.exitCode).toBe(0)
    expect(file!.content).toBe(main.outputs.token)
    expect(file!.mode).toBe(0o600)
    expect(main.outputs['token-hash']).toBe(opensslHash(main.outputs.token!))
    expect(post.stdout).toContain("Registration tokens can't be revoked")
    expect(post.stdout).toContain(`Deleted the token file ${join(job.temp, 'runner/token')}.`)
    expect(leftInTemp()).toEqual([])
  })
})

describe('main: a failure after minting leaves nothing behind', () => {
  const HANDED = { 'token-file': 'true', 'export-env': 'GH_TOKEN' }

  /** Failed after minting: the one error, nothing handed on, no file, every token revoked. */
  function expectNothingLeft(main: StepResult, message: string, planted: string[] = []) {
    expect(main.exitCode).toBe(1)
    expect(main.errors).toEqual([message])
    expect(main.outputs).toEqual({})
    expect(main.exported).toEqual({})
    // What the post step would revoke was saved at the mint; main says it undid it itself.
    expect(main.state.undone).toBe('failure')
    expect(main.state.handoff).toBeUndefined()
    expect(main.stdout).toContain(
      'The step failed after minting; what it had minted and set up is undone.'
    )
    expect(leftInTemp()).toEqual(planted)
    expect(fake.tokens.size).toBeGreaterThan(0)
    expectAllRevoked(fake)
    expectCredentialsOnlyIn(undefined)
  }

  test('bot-identity: GET /users answers 500 until the retries give up', async () => {
    fake.inject({ method: 'GET', path: /^\/users\//, times: 10, fault: { status: 500 } })
    const main = await runStep(job, 'main', key({ ...HANDED, 'bot-identity': 'true' }))
    expectNothingLeft(
      main,
      `Input 'bot-identity': GET /users/${BOT} failed (HTTP 500: Internal Server Error - https://docs.github.com/rest).`
    )
    expect(calls()).toEqual([
      LOOKUP,
      mint(),
      BOT_CALL,
      BOT_CALL,
      BOT_CALL,
      'DELETE /installation/token'
    ])
  })

  test('rate-limit: a reply without the graphql budget', async () => {
    const mitm = await startManInTheMiddle(fake.url)
    try {
      job = newJob(mitm.url)
      mitm.intercept({
        method: 'GET',
        path: '/rate_limit',
        rewrite: (reply) => {
          const body = JSON.parse(reply.body) as { resources: Record<string, unknown> }
          delete body.resources.graphql
          return { body: JSON.stringify(body) }
        }
      })
      const main = await runStep(job, 'main', key({ ...HANDED, 'rate-limit': 'true' }))
      expectNothingLeft(
        main,
        "GET /rate_limit answered without integer limit, remaining, reset and used for 'graphql'."
      )
      expect(mitm.seen.map((s) => `${s.request} ${s.fate}`)).toEqual([
        `${LOOKUP} passed`,
        `${mint()} passed`,
        'GET /rate_limit rewritten',
        'DELETE /installation/token passed'
      ])
    } finally {
      await mitm.close()
    }
  })

  test('rate-limit: GET /rate_limit answers 404 (a GHES without rate limits): a warning, no output', async () => {
    const message = 'Rate limiting is not enabled.'
    fake.inject({ method: 'GET', path: '/rate_limit', fault: { status: 404, message } })
    const main = await runStep(job, 'main', key({ 'rate-limit': 'true' }))
    expect(main.exitCode).toBe(0)
    expect(main.warnings).toEqual([
      "Input 'rate-limit': GitHub answered HTTP 404 for GET /rate_limit, as a GitHub Enterprise Server with rate limiting disabled does; there is no 'rate-limit' output."
    ])
    expect(main.outputs['rate-limit']).toBeUndefined()
    expect(main.outputs.token).toBeTruthy()
    expect(fake.tokens.get(main.outputs.token!)!.revoked).toBe(false)
  })

  test('token-file: a file appears at the path between the check and the write (installation)', async () => {
    const path = join(job.temp, 'gh-token')
    fake.onRequest({
      method: 'POST',
      path: /\/access_tokens$/,
      run: () => writeFileSync(path, 'planted\n')
    })
    const main = await runStep(job, 'main', key({ 'token-file': path, 'export-env': 'GH_TOKEN' }))
    expectNothingLeft(
      main,
      `Input 'token-file' is '${path}', which already exists; an existing file is never overwritten.`,
      ['gh-token']
    )
    expect(readFileSync(path, 'utf8')).toBe('planted\n')
  })

  test('runner-jit + token-file: a link appears at the path after the runner registered', async () => {
    const target = join(job.temp, 'target')
    writeFileSync(target, 'not a token\n')
    fake.onRequest({
      method: 'POST',
      path: /\/generate-jitconfig$/,
      run: () => symlinkSync(target, join(job.temp, 'jit-config'))
    })
    const main = await runStep(job, 'main', jit({ 'token-file': 'jit-config' }))
    expectNothingLeft(
      main,
      "Input 'token-file' is 'jit-config', which is a symbolic link; links are never followed.",
      ['jit-config', 'target']
    )
    expect(readFileSync(target, 'utf8')).toBe('not a token\n')
    expect(fake.runners).toEqual([])
    expect(calls().filter((call) => call.startsWith('DELETE /orgs/'))).toHaveLength(1)
  })

  /** GITHUB_OUTPUT as a directory: publishing fails after the hand-off wrote the token file. */
  function brokenOutputs() {
    const dir = join(job.temp, 'outputs-dir')
    mkdirSync(dir)
    return {
      env: { GITHUB_OUTPUT: dir },
      line: `EISDIR: illegal operation on a directory, open '${dir}'`
    }
  }

  test('publishing fails after the token file was written: the file, its new parents and the token are gone', async () => {
    const broken = brokenOutputs()
    const inputs = key({ 'token-file': 'a/b/token', 'export-env': 'GH_TOKEN' })
    const main = await runStep(job, 'main', inputs, {}, { env: broken.env })
    expect(main.stdout).toContain(`Wrote the credential to ${join(job.temp, 'a/b/token')}`)
    expectNothingLeft(main, broken.line, ['outputs-dir'])
  })

  test('runner-jit + token-file: publishing fails after the file was written: the runner is removed, the file deleted', async () => {
    const broken = brokenOutputs()
    const main = await runStep(job, 'main', jit({ 'token-file': 'true' }), {}, { env: broken.env })
    expect(main.stdout).toMatch(/^Wrote the credential to /m)
    expectNothingLeft(main, broken.line, ['outputs-dir'])
    expect(fake.runners).toEqual([])
  })
})

describe('post: the token file was replaced', () => {
  test('a file put in its place is left alone, with its directory; the token is still revoked', async () => {
    const { main, post } = await runBoth(key({ 'token-file': 'true' }), {
      between: (m) => {
        // Replaced the way `mv` does: the old file still exists while the new one is made, so
        // the new one cannot reuse its inode number.
        const path = m.outputs['token-file']!
        writeFileSync(`${path}.new`, 'someone else\n')
        renameSync(`${path}.new`, path)
      }
    })
    const path = main.outputs['token-file']!
    expect(post.stdout).toContain(`Left ${path} alone: it is not the file the main step wrote.`)
    expect(readFileSync(path, 'utf8')).toBe('someone else\n')
    expect(post.summary).toContain(row('Token file', 'left alone'))
    expect(fake.tokens.get(main.outputs.token!)!.revoked).toBe(true)
  })
})
