import { createHash } from 'node:crypto'
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { assertNoLeaks } from '../../harness/assert-no-leaks.js'
import { expectAllRevoked } from '../../harness/expect-all-revoked.js'
import { expectRefused, newJob, runStep, type Job } from '../../harness/run-action.js'
import { until } from '../../harness/wait.js'

/** Issue 18, part 2: 'owners', one token per owner in one step, all or nothing. */
let fake: FakeGitHub
let job: Job
/** Installation id by account. */
let ids: Record<string, number>

const ORGS = ['octo-a', 'octo-b', 'octo-c', 'octo-d', 'octo-e', 'octo-f']

beforeEach(async () => {
  fake = await startFakeGitHub()
  ids = {}
  for (const account of ORGS) {
    ids[account] = fake.addInstallation({
      account,
      repositorySelection: 'all',
      repositories: ['app', 'docs'],
      permissions: { contents: 'write', pull_requests: 'write', metadata: 'read' }
    }).id
  }
  job = newJob(fake.url)
})
afterEach(async () => fake.close())

const key = () => ({ 'app-id': String(fake.app.id), 'private-key': fake.app.privateKey })
const calls = () => fake.requests.map((r) => `${r.method} ${r.path}`)
const mintPath = /\/access_tokens$/
const hash = (token: string) => createHash('sha256').update(token).digest('base64')
const iso = (date: Date) => date.toISOString().replace('.000', '')
const tokensOf = (outputs: Record<string, string>) =>
  JSON.parse(outputs.tokens!) as Record<string, string>

describe('main: owners → one token per owner, every repository of each', () => {
  test('three owners: one lookup and one mint each; outputs, masks; post revokes them all', async () => {
    // octo-b's token is the shortest-lived, so expires-at is its expiry.
    fake.onRequest({
      method: 'POST',
      path: `/app/installations/${ids['octo-b']}/access_tokens`,
      run: () => (fake.tokenLifetimeMs = 20 * 60_000)
    })
    const inputs = { ...key(), owners: 'octo-a, octo-b\nocto-c', permissions: 'contents:write' }
    const main = await runStep(job, 'main', inputs)
    expect(main.exitCode).toBe(0)
    const owners = ['octo-a', 'octo-b', 'octo-c']
    expect(calls().sort()).toEqual(
      owners
        .flatMap((o) => [
          `GET /users/${o}/installation`,
          `POST /app/installations/${ids[o]}/access_tokens`
        ])
        .sort()
    )
    for (const request of fake.requests.filter((r) => mintPath.test(r.path)))
      expect(request.body).toEqual({ permissions: { contents: 'write' } })
    const tokens = tokensOf(main.outputs)
    expect(Object.keys(tokens)).toEqual(owners)
    for (const owner of owners) {
      expect(fake.tokens.get(tokens[owner]!)!.installationId).toBe(ids[owner])
      expect(main.stdout).toContain(`::add-mask::${tokens[owner]}`)
    }
    expect(main.outputs.token).toBe('')
    expect(JSON.parse(main.outputs['token-hash']!)).toEqual(
      Object.fromEntries(owners.map((o) => [o, hash(tokens[o]!)]))
    )
    expect(JSON.parse(main.outputs['installation-id']!)).toEqual(
      Object.fromEntries(owners.map((o) => [o, ids[o]]))
    )
    expect(main.outputs['expires-at']).toBe(iso(fake.tokens.get(tokens['octo-b']!)!.expiresAt))
    expect(main.summary).toContain('<tr><th>octo-b</th><td>expires ')

    const post = await runStep(job, 'post', inputs, main.state)
    expect(post.warnings).toEqual([])
    for (const owner of owners) {
      expect(post.stdout).toContain(`Revoked the token for '${owner}'.`)
      expect(fake.tokens.get(tokens[owner]!)!.revoked).toBe(true)
    }
    assertNoLeaks(job, [main, post], { maskable: Object.values(tokens), key: fake.app.privateKey })
  })

  test('six owners: never more than four mints in flight, and four at once', async () => {
    // Each mint's reply is held until the test lets it go; a mint is let go only once every
    // owner whose lookup GitHub answered has sent its mint too, so a seventh, fifth or sixth
    // owner started too early is in flight when it is counted.
    const releases: (() => void)[] = []
    for (let i = 0; i < ORGS.length; i++) {
      const held = new Promise<void>((resolve) => releases.push(resolve))
      fake.inject({ method: 'POST', path: mintPath, fault: { holdReplyUntil: held } })
    }
    const arrived = { lookups: 0, mints: 0 }
    fake.onRequest({
      method: 'GET',
      path: /\/installation$/,
      times: 99,
      run: () => arrived.lookups++
    })
    fake.onRequest({ method: 'POST', path: mintPath, times: 99, run: () => arrived.mints++ })
    const step = runStep(job, 'main', { ...key(), owners: ORGS.join(',') })
    const inFlight: number[] = []
    for (let released = 0; released < ORGS.length; released++) {
      await until(
        'every started owner to wait on its mint',
        () => arrived.mints > released && arrived.mints === arrived.lookups
      )
      inFlight.push(arrived.mints - released)
      releases[released]!()
    }
    const main = await step
    expect(main.exitCode).toBe(0)
    expect(Math.max(...inFlight)).toBe(4)
    expect(Object.keys(tokensOf(main.outputs))).toEqual(ORGS)
    expect(arrived).toEqual({ lookups: 6, mints: 6 })
  })
})

describe('main: owners, one owner without an installation', () => {
  test('fails naming it; every token already minted is revoked; post has nothing left', async () => {
    const inputs = { ...key(), owners: 'octo-a,nobody,octo-c' }
    const main = await runStep(job, 'main', inputs)
    expect(main.exitCode).toBe(1)
    expect(main.errors).toEqual([
      "Input 'owners': the token for 'nobody' could not be minted, so no token is kept (The GitHub App is not installed on the account 'nobody', or cannot see it (HTTP 404). Install the App on 'nobody' and give it access to the repositories you need (App settings → Install App), or check the 'owners' input and that 'app-id'/'client-id' names the right App.)."
    ])
    expect(main.outputs).toEqual({})
    expect(main.state.undone).toBe('failure')
    // octo-a and octo-c started with nobody (four at a time): both were minted, both revoked.
    expect([...fake.tokens.values()].map((t) => t.installationId).sort()).toEqual(
      [ids['octo-a'], ids['octo-c']].sort()
    )
    expectAllRevoked(fake)
    const requestsBefore = fake.requests.length
    const post = await runStep(job, 'post', inputs, main.state)
    expect(post.stdout).toContain(
      'The main step failed and revoked the tokens itself, so there is nothing left to undo.'
    )
    expect(fake.requests).toHaveLength(requestsBefore)
    assertNoLeaks(job, [main, post], {
      maskable: [...fake.tokens.keys()],
      key: fake.app.privateKey
    })
  })
})

describe('post: owners', () => {
  const inputs = () => ({ ...key(), owners: 'octo-a,octo-b,octo-c' })

  test('revokes every token at once: the three DELETEs are in flight together', async () => {
    const main = await runStep(job, 'main', inputs())
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    fake.inject({
      method: 'DELETE',
      path: '/installation/token',
      times: 3,
      fault: { holdReplyUntil: held }
    })
    let deletes = 0
    fake.onRequest({
      method: 'DELETE',
      path: '/installation/token',
      times: 3,
      run: () => deletes++
    })
    const post = runStep(job, 'post', inputs(), main.state)
    await until('three revocations in flight', () => deletes === 3)
    release()
    expect((await post).warnings).toEqual([])
    expect(fake.tokens.size).toBe(3)
    expectAllRevoked(fake)
  })

  test('one warning per token GitHub would not revoke, naming its owner', async () => {
    const main = await runStep(job, 'main', inputs())
    fake.inject({ method: 'DELETE', path: '/installation/token', times: 2, fault: { status: 403 } })
    const post = await runStep(job, 'post', inputs(), main.state)
    expect(post.exitCode).toBe(0)
    expect(post.warnings).toHaveLength(2)
    for (const warning of post.warnings)
      expect(warning).toMatch(
        /^Could not revoke the token for 'octo-[abc]' \(HTTP 403: .*\)\. It expires on its own within the hour\.$/
      )
    expect([...fake.tokens.values()].filter((t) => t.revoked)).toHaveLength(1)
  })

  test("'revoke: false' leaves them, one info line", async () => {
    const main = await runStep(job, 'main', { ...inputs(), revoke: 'false' })
    const post = await runStep(job, 'post', { ...inputs(), revoke: 'false' }, main.state)
    expect(post.stdout).toContain(
      `Token revocation is disabled ('revoke: false'); the tokens expire by ${main.outputs['expires-at']} at the earliest.`
    )
    expect([...fake.tokens.values()].some((t) => t.revoked)).toBe(false)
  })
})

describe('main: owners, refused before any request', () => {
  const ONE_TOKEN = (input: string) =>
    `Inputs 'owners' and '${input}' are both set: '${input}' works with one token, and 'owners' mints one per owner. Remove '${input}', and use each token through the 'tokens' output (fromJSON(steps.<id>.outputs.tokens)['<owner>']).`
  test.each([
    [
      { owner: 'octo-a' },
      "Inputs 'owners' and 'owner' are both set: 'owners' names every account; move this one into the list."
    ],
    [
      { repositories: 'app' },
      "Inputs 'owners' and 'repositories' are both set: with 'owners' each token covers every repository of its owner's installation; to choose repositories, use one step per owner with 'owner' and 'repositories'."
    ],
    [
      { 'installation-id': '42' },
      "Inputs 'owners' and 'installation-id' are both set: 'owners' looks each owner's installation up; remove 'installation-id'."
    ],
    ...['runner-registration', 'runner-jit'].map((type) => [
      { 'token-type': type },
      `Input 'owners' applies to 'token-type: installation' only; 'token-type' is '${type}', and a runner credential is minted for one organization or repository. Remove 'owners'.`
    ]),
    [{ 'export-env': 'GH_TOKEN' }, ONE_TOKEN('export-env')],
    [{ 'token-file': 'true' }, ONE_TOKEN('token-file')],
    [{ 'git-credentials': 'true' }, ONE_TOKEN('git-credentials')],
    [{ 'token-file': 'true', 'token-refresh': 'true' }, ONE_TOKEN('token-file')],
    [{ 'token-refresh': 'true' }, ONE_TOKEN('token-refresh')],
    [{ 'bot-identity': 'true' }, ONE_TOKEN('bot-identity')],
    [{ 'rate-limit': 'true' }, ONE_TOKEN('rate-limit')],
    [
      { owners: 'octo-a, octo/b' },
      "Input 'owners' has 'octo/b', which is not a GitHub user or organization name; expected account names separated by commas or newlines."
    ],
    [
      { owners: ' ,\n' },
      "Input 'owners' names no account; expected account names separated by commas or newlines."
    ]
  ] as [Record<string, string>, string][])('%j', async (more, message) => {
    const main = await runStep(job, 'main', { ...key(), owners: 'octo-a,octo-b', ...more })
    expectRefused(main, message)
    expect(fake.requests).toEqual([])
  })
})
