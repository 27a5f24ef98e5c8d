import { readFileSync } from 'node:fs'
import { startFakeGitHub, type FakeGitHub, type RecordedRequest } from '../../fake-github/server.js'
import { assertNoLeaks } from '../../harness/assert-no-leaks.js'
import {
  expectRefused,
  exportToJob,
  newJob,
  runAction,
  runStep,
  type Job
} from '../../harness/run-action.js'
import { until } from '../../harness/wait.js'

/**
 * 'token-format' against the bundled dist/: which header the mint sends (GitHub's temporary
 * X-GitHub-Stateless-S2S-Token), the token the step then outputs, the refusals, a server that
 * ignores the header, and a refresh asking for the same format.
 */
let fake: FakeGitHub
let job: Job

beforeEach(async () => {
  fake = await startFakeGitHub()
  // The fake's default for an installation is the stateless format, as GitHub's rollout is.
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { contents: 'read' }
  })
  fake.addInstallation({
    account: 'legacy-org',
    repositories: ['app'],
    permissions: { contents: 'read' },
    tokenFormat: 'classic'
  })
  job = newJob(fake.url)
})
afterEach(async () => fake.close())

const key = () => ({ 'app-id': String(fake.app.id), 'private-key': fake.app.privateKey })
const mints = () => fake.requests.filter((r) => r.path.endsWith('/access_tokens'))
const formatHeader = (r: RecordedRequest) => r.headers['x-github-stateless-s2s-token']
const CLASSIC = /^ghs_[A-Za-z0-9]{36}$/
/** ghs_APPID_ and a JWT: three base64url parts. */
const STATELESS = /^ghs_\d+_[\w-]+\.[\w-]+\.[\w-]+$/

describe('main: token-format empty → GitHub’s default, no header', () => {
  test('the mint sends no format header; the token is in the installation’s format', async () => {
    const { main } = await runAction(job, key())
    expect(main.exitCode).toBe(0)
    expect(mints().map(formatHeader)).toEqual([undefined])
    expect(main.outputs.token).toMatch(STATELESS)
    expect(main.warnings).toEqual([])
  })
})

describe('main: token-format: classic → header disabled, a 40-character token', () => {
  test('where GitHub would mint a stateless one; masked first, revoked in post', async () => {
    const { main, post } = await runAction(job, { ...key(), 'token-format': 'classic' })
    expect(main.exitCode).toBe(0)
    expect(main.warnings).toEqual([])
    const token = main.outputs.token!
    expect(token).toMatch(CLASSIC)
    expect(token).toHaveLength(40)
    expect(mints().map(formatHeader)).toEqual(['disabled'])
    // Only the mint carries it: the lookup before it does not.
    expect(fake.requests.filter((r) => formatHeader(r) !== undefined)).toHaveLength(1)
    expect(fake.tokens.get(token)!.revoked).toBe(true)
    assertNoLeaks(job, [main, post], { maskable: [token], key: fake.app.privateKey })
  })
})

describe('main: token-format: stateless → header enabled, a JWT of about 520 characters', () => {
  test('where GitHub would mint a classic one; masked first, revoked in post', async () => {
    const { main, post } = await runAction(job, {
      ...key(),
      owner: 'legacy-org',
      'token-format': 'stateless'
    })
    expect(main.exitCode).toBe(0)
    const token = main.outputs.token!
    expect(token).toMatch(STATELESS)
    expect(token.length).toBeGreaterThan(400)
    expect(mints().map(formatHeader)).toEqual(['enabled'])
    expect(fake.tokens.get(token)!.revoked).toBe(true)
    assertNoLeaks(job, [main, post], { maskable: [token], key: fake.app.privateKey })
  })
})

describe('main: token-format refused before any request', () => {
  test.each(['enabled', 'Classic', 'jwt'])(
    "'%s': naming the input and the values",
    async (value) => {
      const main = await runStep(job, 'main', { ...key(), 'token-format': value })
      expectRefused(
        main,
        `Input 'token-format' is '${value}'; expected stateless (a JWT of about 520 characters) or classic (40 characters), or empty for GitHub's default.`
      )
      expect(fake.requests).toEqual([])
    }
  )

  test('for a runner credential, whose admin token never leaves the step', async () => {
    const main = await runStep(job, 'main', {
      ...key(),
      owner: 'octo-org',
      'token-type': 'runner-registration',
      'token-format': 'classic'
    })
    expectRefused(
      main,
      "Input 'token-format' applies to 'token-type: installation' only; a runner-registration credential is not an installation token. Remove 'token-format'."
    )
    expect(fake.requests).toEqual([])
  })
})

describe('main: a server that ignores the header (an older GHES)', () => {
  test('the token of the other format is used, with a warning naming both formats', async () => {
    fake.knowsFormatHeader = false
    const { main } = await runAction(job, { ...key(), 'token-format': 'classic' })
    expect(main.exitCode).toBe(0)
    const token = main.outputs.token!
    expect(mints().map(formatHeader)).toEqual(['disabled'])
    expect(main.warnings).toEqual([
      `GitHub returned a stateless installation token (${token.length} characters) although a classic one was asked for (header X-GitHub-Stateless-S2S-Token): this server ignores the header, which GitHub offers only during the format's rollout. The token works; a tool that expects a classic token may not.`
    ])
  })
})

describe('main: token-format with token-refresh → each refresh asks for the same format', () => {
  test('the refreshed token in the file is classic too, and post stops and revokes', async () => {
    // A short life, so that one real refresh comes soon (a third of it left, ≈8 s in). The
    // refresher's schedule on a simulated clock is in in-process/refresher/refresh-format.test.ts.
    fake.tokenLifetimeMs = 12_000
    const inputs = {
      ...key(),
      'token-format': 'classic',
      'token-file': 'true',
      'token-refresh': 'true'
    }
    const main = await runStep(job, 'main', inputs)
    expect(main.exitCode).toBe(0)
    const first = main.outputs.token!
    const file = main.outputs['token-file']!
    exportToJob(job, main)
    const refreshed = await until(
      'the first refresh',
      () => {
        const text = readFileSync(file, 'utf8')
        return text !== first && fake.tokens.has(text) && text
      },
      { timeoutMs: 40_000 }
    )
    expect([first, refreshed]).toEqual([
      expect.stringMatching(CLASSIC),
      expect.stringMatching(CLASSIC)
    ])
    const post = await runStep(job, 'post', inputs, main.state)
    expect(post.exitCode).toBe(0)
    expect(post.warnings).toEqual([])
    // Every mint, the main step's and the refresher's, asked for the classic format.
    expect(mints().length).toBeGreaterThanOrEqual(2)
    expect(mints().map(formatHeader)).toEqual(mints().map(() => 'disabled'))
    for (const token of fake.tokens.keys()) expect(fake.tokens.get(token)!.revoked).toBe(true)
    assertNoLeaks(job, [main, post], {
      maskable: [...fake.tokens.keys()],
      key: fake.app.privateKey
    })
  }, 90_000)
})
