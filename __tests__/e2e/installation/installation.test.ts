import { generateKeyPairSync } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { assertNoLeaks } from '../../harness/assert-no-leaks.js'
import {
  exportToJob,
  newJob,
  runAction,
  runStep,
  type Job,
  expectRefused
} from '../../harness/run-action.js'
import { Transcript } from '../../harness/transcript.js'

let fake: FakeGitHub
let job: Job
let installationId: number

beforeEach(async () => {
  fake = await startFakeGitHub()
  const installation = fake.addInstallation({
    account: 'octo-org',
    repositorySelection: 'selected',
    repositories: ['app', 'docs', 'infra'],
    permissions: { contents: 'write', issues: 'write', metadata: 'read' }
  })
  installationId = installation.id
  job = newJob(fake.url)
})
afterEach(async () => fake.close())

const key = () => ({ 'app-id': String(fake.app.id), 'private-key': fake.app.privateKey })
const calls = () => fake.requests.map((r) => `${r.method} ${r.path}`)
const mints = () => fake.requests.filter((r) => r.path.endsWith('/access_tokens'))

describe('main: neither owner nor repositories → this repository', () => {
  test('mints, masks first, outputs, revokes in post, never leaks', async () => {
    const transcript = new Transcript(fake, job)
    const main = transcript.add('main', await runStep(job, 'main', key()))
    exportToJob(job, main)
    const post = transcript.add('post', await runStep(job, 'post', key(), main.state))
    const token = main.outputs.token!
    expect(token).toMatch(/^ghs_/)
    // The lookup and the mint as the App, for this repository only; the token masked before
    // its first use; the outputs and summary; one revocation in post.
    expect(
      transcript.render({ '<token>': token, '<token-hash>': main.outputs['token-hash']! })
    ).toMatchSnapshot()
    expect(main.outputs['installation-id']).toBe(String(installationId))
    expect(main.outputs['expires-at']).toBe(
      fake.tokens.get(token)!.expiresAt.toISOString().replace('.000', '')
    )
    expect(fake.tokens.get(token)!.revoked).toBe(true)
    assertNoLeaks(job, [main, post], { maskable: [token], key: fake.app.privateKey })
  })
})

describe('main: owner only → every repository of the owner', () => {
  test('looks the installation up by account and mints without a repository list', async () => {
    const { main } = await runAction(job, { ...key(), owner: 'octo-org' })
    expect(main.exitCode).toBe(0)
    expect(calls()[0]).toBe('GET /users/octo-org/installation')
    expect(mints()[0]!.body ?? {}).toEqual({})
    expect(main.summary).toContain(
      '<tr><th>Scope</th><td>octo-org/app, octo-org/docs, octo-org/infra</td></tr>'
    )
  })
})

describe('main: repositories', () => {
  test("accepts 'name' and 'owner/name', newline or comma separated, and deduplicates", async () => {
    const { main } = await runAction(job, {
      ...key(),
      repositories: 'octo-org/docs\ninfra, docs ,DOCS'
    })
    expect(main.exitCode).toBe(0)
    expect(calls()[0]).toBe('GET /repos/octo-org/docs/installation')
    expect(mints()[0]!.body).toEqual({ repositories: ['docs', 'infra'] })
  })

  test('an entry of another owner is refused before any request', async () => {
    const main = await runStep(job, 'main', { ...key(), repositories: 'someone-else/tool' })
    expectRefused(
      main,
      "Input 'repositories' has 'someone-else/tool', but the owner is 'octo-org'. A token covers one owner: set 'owner: someone-else' or remove the entry (use one step per owner)."
    )
    expect(fake.requests).toEqual([])
  })
})

describe('main: permissions', () => {
  test('down-scopes the token to exactly what is asked', async () => {
    const { main } = await runAction(job, { ...key(), permissions: 'contents:read\nissues: write' })
    expect(main.exitCode).toBe(0)
    expect(mints()[0]!.body).toEqual({
      repositories: ['app'],
      permissions: { contents: 'read', issues: 'write' }
    })
    expect(JSON.parse(main.outputs.permissions!)).toEqual({ contents: 'read', issues: 'write' })
  })

  test('asking for more than the installation grants fails before minting, naming each permission', async () => {
    const main = await runStep(job, 'main', {
      ...key(),
      permissions: 'contents:write, pull-requests:write, issues:read'
    })
    expect(main.exitCode).toBe(1)
    expect(main.errors).toHaveLength(1)
    expect(main.errors[0]).toContain('pull_requests: write (installation grants none)')
    expect(main.errors[0]).not.toContain('contents')
    expect(mints()).toEqual([])
    expect(main.outputs).toEqual({})
  })

  test('an unknown permission name is refused with a suggestion, before any request', async () => {
    const main = await runStep(job, 'main', { ...key(), permissions: 'contnets:read' })
    expect(main.exitCode).toBe(1)
    expect(main.errors[0]).toContain("Did you mean 'contents'?")
    expect(fake.requests).toEqual([])
  })
})

describe('main: installation-id given', () => {
  test('the mint is exactly one request', async () => {
    const { main } = await runAction(job, { ...key(), 'installation-id': String(installationId) })
    expect(main.exitCode).toBe(0)
    expect(calls()).toEqual([
      `POST /app/installations/${installationId}/access_tokens`,
      'DELETE /installation/token'
    ])
    expect(main.outputs['app-slug']).toBe('')
  })

  test("GitHub's 422 for permissions becomes the same precise message", async () => {
    const main = await runStep(job, 'main', {
      ...key(),
      'installation-id': String(installationId),
      permissions: 'actions:write'
    })
    expect(main.exitCode).toBe(1)
    expect(main.errors[0]).toContain('actions: write (installation grants none)')
    expect(main.state).toEqual({})
  })
})

describe('main: the App is not installed', () => {
  test('a 404 on lookup says what to fix', async () => {
    const main = await runStep(job, 'main', { ...key(), owner: 'nobody', repositories: 'thing' })
    expectRefused(
      main,
      "The GitHub App is not installed on the repository 'nobody/thing', or cannot see it (HTTP 404). Install the App on 'nobody' and give it access to 'thing' (App settings → Install App), or check the 'owner' and 'repositories' inputs and that 'app-id'/'client-id' names the right App."
    )
  })
})

describe('main: credentials', () => {
  test("'client-id' wins over 'app-id'", async () => {
    const { main } = await runAction(job, {
      ...key(),
      'app-id': '999999',
      'client-id': fake.app.clientId
    })
    expect(main.exitCode).toBe(0)
  })

  test('neither app-id nor client-id', async () => {
    const main = await runStep(job, 'main', { 'private-key': fake.app.privateKey })
    expectRefused(
      main,
      "Neither 'app-id' nor 'client-id' is set. Pass one (e.g. 'client-id: ${{ vars.APP_CLIENT_ID }}'). If it comes from a secret or variable, it may be unavailable in this context (pull requests from forks, Dependabot)."
    )
  })

  test('a key pasted with literal \\n escapes and surrounding quotes works', async () => {
    const pasted = `"${fake.app.privateKey.trim().replace(/\n/g, '\\n')}"`
    const { main, post } = await runAction(job, {
      'app-id': String(fake.app.id),
      'private-key': pasted
    })
    expect(main.exitCode).toBe(0)
    assertNoLeaks(job, [main, post], { maskable: [main.outputs.token!], key: fake.app.privateKey })
  })

  test('a base64-encoded key works', async () => {
    const encoded = Buffer.from(fake.app.privateKey).toString('base64')
    const { main } = await runAction(job, { 'app-id': String(fake.app.id), 'private-key': encoded })
    expect(main.exitCode).toBe(0)
  })

  test('private-key-file', async () => {
    const path = join(job.temp, 'app.pem')
    writeFileSync(path, fake.app.privateKey)
    const { main } = await runAction(job, {
      'app-id': String(fake.app.id),
      'private-key-file': path
    })
    expect(main.exitCode).toBe(0)
    // A key from a file is no runner secret: its body lines are masked before any request.
    const bodyLines = fake.app.privateKey
      .split('\n')
      .filter((l) => l.length >= 16 && !l.startsWith('-----'))
    const lines = main.stdout.split('\n')
    const firstOther = lines.findIndex((l) => !l.startsWith('::add-mask::'))
    for (const line of bodyLines) {
      const at = lines.indexOf(`::add-mask::${line}`)
      expect(at).toBeGreaterThanOrEqual(0)
      expect(at).toBeLessThan(firstOther)
    }
    assertNoLeaks(job, [main], { key: fake.app.privateKey })
  })

  test('a key of another App is rejected by GitHub with advice, and nothing leaks', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const otherKey = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
    const main = await runStep(job, 'main', {
      'app-id': String(fake.app.id),
      'private-key': otherKey
    })
    expectRefused(
      main,
      `GitHub rejected the App's credentials for App ID ${fake.app.id} (HTTP 401: A JSON web token could not be decoded - https://docs.github.com/rest): the ID and the key do not belong to the same App, or the key was deleted. Check 'app-id'/'client-id', and that the private key is a current key of that App (App settings → Private keys).`
    )
    assertNoLeaks(job, [main], { key: otherKey })
  })

  test("a Client ID of another App is named in the 401's message, quoted; the key is not", async () => {
    const main = await runStep(job, 'main', {
      'client-id': 'Iv23liOtherApp',
      'private-key': fake.app.privateKey
    })
    expectRefused(
      main,
      "GitHub rejected the App's credentials for Client ID 'Iv23liOtherApp' (HTTP 401: 'Issuer' claim ('iss') must be an Integer - https://docs.github.com/rest): the ID and the key do not belong to the same App, or the key was deleted. Check 'app-id'/'client-id', and that the private key is a current key of that App (App settings → Private keys)."
    )
    assertNoLeaks(job, [main], { key: fake.app.privateKey })
  })

  test('an installation-id the App does not have says so', async () => {
    const main = await runStep(job, 'main', { ...key(), 'installation-id': '999' })
    expectRefused(
      main,
      "Input 'installation-id' is 999, but this App has no such installation (HTTP 404). Copy the ID from the installation's settings URL (…/settings/installations/ID), or leave 'installation-id' empty to look it up from 'owner'/'repositories'."
    )
  })
})

describe('main: clock skew', () => {
  test.each([
    ['runner clock 10 minutes behind GitHub', 10 * 60_000],
    ['runner clock 10 minutes ahead of GitHub', -10 * 60_000]
  ])('%s: every JWT request succeeds, at most one retry per step', async (_name, skew) => {
    fake.clockSkewMs = skew
    const { main } = await runAction(job, key())
    expect(main.exitCode).toBe(0)
    const jwtRequests = fake.requests.filter((r) => r.auth === 'jwt')
    expect(jwtRequests.filter((r) => r.status === 401).length).toBeLessThanOrEqual(1)
    expect(mints().map((r) => r.status)).toEqual([201])
  })
})

describe('main: transient failures', () => {
  test('a 502 is retried once, with a log line naming the status', async () => {
    fake.inject({ method: 'POST', path: /access_tokens$/, fault: { status: 502 } })
    const { main } = await runAction(job, key())
    expect(main.exitCode).toBe(0)
    expect(mints().map((r) => r.status)).toEqual([502, 201])
    expect(main.stdout).toMatch(
      new RegExp(
        `^POST /app/installations/${installationId}/access_tokens failed \\(HTTP 502: .*\\); retry 1 of 2 in 1 s$`,
        'm'
      )
    )
  })

  test('a reset connection is retried', async () => {
    fake.inject({ method: 'GET', path: /installation$/, fault: { reset: true } })
    const { main } = await runAction(job, key())
    expect(main.exitCode).toBe(0)
  })

  test('a secondary rate limit is waited out as retry-after says', async () => {
    fake.inject({
      method: 'POST',
      path: /access_tokens$/,
      fault: { secondaryRateLimit: { retryAfter: 1 } }
    })
    const { main } = await runAction(job, key())
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toContain('secondary rate limit')
  })

  test('a 404 is not retried', async () => {
    await runStep(job, 'main', { ...key(), owner: 'nobody' })
    expect(calls()).toEqual(['GET /users/nobody/installation'])
  })
})

describe('post: guard clauses', () => {
  test('revoke: false leaves the token alone, with one info line', async () => {
    const { main, post } = await runAction(job, { ...key(), revoke: 'false' })
    expect(post.stdout).toContain("Token revocation is disabled ('revoke: false')")
    expect(fake.tokens.get(main.outputs.token!)!.revoked).toBe(false)
  })

  test('nothing minted → nothing to revoke', async () => {
    const post = await runStep(job, 'post', key(), {})
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toContain('The main step minted no token, so there is nothing to revoke.')
  })

  test("expiry is GitHub's to judge: a past expiry in the state does not skip the revocation", async () => {
    const main = await runStep(job, 'main', key())
    const state = JSON.parse(main.state.revocation!) as Record<string, unknown>
    const past = {
      ...main.state,
      revocation: JSON.stringify({ ...state, expiresAt: '2020-01-01T00:00:00Z' })
    }
    const post = await runStep(job, 'post', key(), past)
    expect(post.stdout).toContain('Revoked the installation token.')
    expect(fake.tokens.get(main.outputs.token!)!.revoked).toBe(true)
  })

  test("a token expired by GitHub's clock: one DELETE, its 401 is one info line, no warning", async () => {
    const main = await runStep(job, 'main', key())
    // The runner's clock says the token has an hour left; GitHub's is two hours on.
    fake.clockSkewMs = 2 * 60 * 60_000
    const post = await runStep(job, 'post', key(), main.state)
    expect(post.stdout).toContain(
      'GitHub answered HTTP 401: the installation token is already revoked or expired, so nothing is left to revoke.'
    )
    expect(post.warnings).toEqual([])
    expect(calls().filter((c) => c === 'DELETE /installation/token')).toHaveLength(1)
  })

  test('a failed revocation is a warning with the HTTP status, never a failed job', async () => {
    fake.inject({
      method: 'DELETE',
      path: '/installation/token',
      times: 10,
      fault: { status: 503 }
    })
    const { post } = await runAction(job, key())
    expect(post.exitCode).toBe(0)
    expect(post.warnings).toHaveLength(1)
    expect(post.warnings[0]).toMatch(/^Could not revoke the installation token \(HTTP 503: /)
  })

  test('the private key is never saved to state', async () => {
    const main = await runStep(job, 'main', key())
    expect(Object.keys(main.state).sort()).toEqual(['revocation', 'token'])
    assertNoLeaks(job, [main], { maskable: [main.outputs.token!], key: fake.app.privateKey })
  })
})

describe('GitHub Enterprise Server', () => {
  test('every request goes to the custom API URL; a trailing slash is ignored', async () => {
    const ghes = await startFakeGitHub({ pathPrefix: '/api/v3' })
    try {
      ghes.addInstallation({
        account: 'octo-org',
        repositories: ['app'],
        permissions: { contents: 'read' }
      })
      const ghesJob = newJob('https://api.github.com')
      const inputs = {
        'app-id': String(ghes.app.id),
        'private-key': ghes.app.privateKey,
        'github-api-url': `${ghes.url}/`
      }
      const { main, post } = await runAction(ghesJob, inputs)
      expect(main.exitCode).toBe(0)
      expect(post.stdout).toContain('Revoked the installation token.')
      expect(ghes.requests).toHaveLength(3)
    } finally {
      await ghes.close()
    }
  })
})

describe('matrix: every job gets its own token', () => {
  test('two jobs at once mint two different tokens and revoke only their own', async () => {
    const other = newJob(fake.url)
    const [a, b] = await Promise.all([
      runAction(job, key()),
      runAction(other, { ...key(), repositories: 'docs' })
    ])
    expect(a.main.outputs.token).not.toEqual(b.main.outputs.token)
    expect(fake.tokens.get(a.main.outputs.token!)!.revoked).toBe(true)
    expect(fake.tokens.get(b.main.outputs.token!)!.revoked).toBe(true)
    expect(fake.requests.filter((r) => r.method === 'DELETE')).toHaveLength(2)
  })
})
