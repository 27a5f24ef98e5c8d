import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { assertNoLeaks } from '../../harness/assert-no-leaks.js'
import { expectRefused, newJob, runAction, runStep, type Job } from '../../harness/run-action.js'
import { newWorkdir, runCli } from '../../harness/run-cli.js'

/**
 * 'enterprise' (and --enterprise): the App's installation on an enterprise, found with
 * GET /enterprises/{enterprise}/installation, or by listing the App's installations where a server
 * has no such route (an older GHES), against the bundled dist/.
 */
let fake: FakeGitHub
let job: Job
beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { contents: 'read' }
  })
  fake.addInstallation({
    account: 'acme',
    accountType: 'Enterprise',
    repositories: [],
    permissions: { enterprise_organization_installations: 'write' }
  })
  job = newJob(fake.url)
})
afterEach(async () => fake.close())

const key = () => ({ 'app-id': String(fake.app.id), 'private-key': fake.app.privateKey })
const calls = () => fake.requests.map((r) => `${r.method} ${r.path}`)

describe('main: enterprise', () => {
  test('found by the enterprise route; the token is for the enterprise; post revokes', async () => {
    const { main, post } = await runAction(job, { ...key(), enterprise: 'acme' })
    expect(main.errors).toEqual([])
    const token = main.outputs.token!
    expect(calls().slice(0, 2)).toEqual([
      'GET /enterprises/acme/installation',
      expect.stringMatching(/^POST \/app\/installations\/\d+\/access_tokens$/) as unknown
    ])
    expect(main.outputs.permissions).toBe(
      JSON.stringify({ enterprise_organization_installations: 'write' })
    )
    expect(main.stdout).toContain('Minted an installation token for the enterprise acme;')
    expect(fake.tokens.get(token)!.revoked).toBe(true)
    expect(post.exitCode).toBe(0)
    assertNoLeaks(job, [main, post], { maskable: [token], key: fake.app.privateKey })
  })

  test('an older GHES without the route: found by listing the installations', async () => {
    fake.knowsEnterpriseEndpoint = false
    const main = await runStep(job, 'main', { ...key(), enterprise: 'ACME' })
    expect(main.errors).toEqual([])
    expect(calls().slice(0, 3)).toEqual([
      'GET /enterprises/ACME/installation',
      'GET /app/installations',
      expect.stringMatching(/^POST \/app\/installations\/\d+\/access_tokens$/) as unknown
    ])
  })

  test('not installed there: the 404 says so, nothing minted', async () => {
    const main = await runStep(job, 'main', { ...key(), enterprise: 'other' })
    expectRefused(
      main,
      "No installation of this GitHub App was found on the enterprise 'other' (HTTP 404). Install the App on the enterprise (Enterprise settings → GitHub Apps), or check 'enterprise' and that 'app-id'/'client-id' names the right App."
    )
    expect(fake.tokens.size).toBe(0)
  })

  test('a repository permission: refused at mint time, saying what an enterprise installation grants', async () => {
    const main = await runStep(job, 'main', {
      ...key(),
      enterprise: 'acme',
      permissions: 'contents:read'
    })
    expect(main.exitCode).toBe(1)
    expect(main.errors[0]).toContain(
      "does not grant what input 'permissions' asks for: contents: read (installation grants none)."
    )
    expect(main.errors[0]).toContain(
      'An installation on an enterprise grants enterprise permissions only (such as enterprise_organization_installations)'
    )
    expect(fake.tokens.size).toBe(0)
  })

  test.each([
    [
      { owner: 'octo-org' },
      "Inputs 'enterprise' and 'owner' are both set; an enterprise installation has no repositories of its own. Set 'enterprise' alone, or 'owner'/'repositories' for an organization's installation."
    ],
    [
      { repositories: 'app' },
      "Inputs 'enterprise' and 'repositories' are both set; an enterprise installation has no repositories of its own. Set 'enterprise' alone, or 'owner'/'repositories' for an organization's installation."
    ],
    [
      { 'token-type': 'runner-jit', 'runner-labels': 'x' },
      "Input 'enterprise' applies to 'token-type: installation' only; enterprise-level runners can't be managed with a GitHub App. Register the runner with an organization ('owner: ORG')."
    ],
    [
      { enterprise: 'acme/x' },
      "Input 'enterprise' is 'acme/x'; expected an enterprise's slug, as in https://github.com/enterprises/SLUG."
    ]
  ])('refused before any request: %j', async (extra, message) => {
    expectRefused(await runStep(job, 'main', { ...key(), enterprise: 'acme', ...extra }), message)
    expect(fake.requests).toEqual([])
  })
})

describe('cli: --enterprise', () => {
  test('token --enterprise; refused with --owner (exit 2)', async () => {
    const { cwd, keyFile } = newWorkdir(fake)
    const flags = [
      '--app-id',
      String(fake.app.id),
      '--private-key-file',
      keyFile,
      '--api-url',
      fake.url
    ]
    const run = await runCli(['token', ...flags, '--enterprise', 'acme'], { cwd, fake })
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({
      permissions: { enterprise_organization_installations: 'write' }
    })
    const both = await runCli(['token', ...flags, '--enterprise', 'acme', '--owner', 'octo-org'], {
      cwd,
      fake
    })
    expect(both.exitCode).toBe(2)
    expect(both.stderr).toContain('--enterprise and --owner are both given')
  })
})
