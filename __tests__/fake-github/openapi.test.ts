import { loadDescription, ResponseValidator } from './openapi.js'
import { routes } from './router.js'
import { startFakeGitHub, type FakeGitHub } from './server.js'
import { appJwt, call, mint } from './test-client.js'

// Loading and compiling the 13 MB description once for the file is the slow part (~1-2 s).
const validator = new ResponseValidator(loadDescription())
/**
 * GitHub documents the enterprise installation route for Enterprise Cloud (ghec.json), not in
 * api.github.com's description, and not for GHES before it: that route is checked against ghec.
 */
const ENTERPRISE_ONLY = new Set(['/enterprises/{enterprise}/installation'])
const ghec = new ResponseValidator(loadDescription('ghec.json'))
const validatorFor = (template: string) => (ENTERPRISE_ONLY.has(template) ? ghec : validator)

/** Touches every route the fake serves, with successes and the documented errors. */
async function everyEndpoint(fake: FakeGitHub): Promise<void> {
  const jwt = await appJwt(fake)
  await call(fake, 'GET', '/app', { auth: jwt })
  await call(fake, 'GET', '/repos/octo-org/app/installation', { auth: jwt })
  await call(fake, 'GET', '/orgs/octo-org/installation', { auth: jwt })
  await call(fake, 'GET', '/users/mona/installation', { auth: jwt })
  await call(fake, 'GET', '/app/installations/1000', { auth: jwt })
  await call(fake, 'GET', '/app/installations?per_page=2&page=2', { auth: jwt })
  await call(fake, 'GET', '/enterprises/acme/installation', { auth: jwt })
  await call(fake, 'GET', '/enterprises/nobody/installation', { auth: jwt })
  await call(fake, 'GET', '/orgs/nobody/installation', { auth: jwt })
  await call(fake, 'POST', '/app/installations/1001/access_tokens', { auth: jwt })
  await call(fake, 'POST', '/app/installations/1000/access_tokens', {
    auth: jwt,
    body: { permissions: { issues: 'write' } }
  })
  // Both formats GitHub's temporary header chooses answer with the same documented body.
  for (const format of ['enabled', 'disabled']) {
    await call(fake, 'POST', '/app/installations/1000/access_tokens', {
      auth: jwt,
      headers: { 'X-GitHub-Stateless-S2S-Token': format }
    })
  }
  const token = await mint(fake, 1000)
  const runner = { runner_group_id: 1, labels: ['self-hosted', 'linux', 'x64'] }
  for (const scope of ['/orgs/octo-org', '/repos/octo-org/app']) {
    await call(fake, 'POST', `${scope}/actions/runners/registration-token`, { auth: token })
    await call(fake, 'POST', `${scope}/actions/runners/generate-jitconfig`, {
      auth: token,
      body: { ...runner, name: 'r1' }
    })
    await call(fake, 'POST', `${scope}/actions/runners/generate-jitconfig`, {
      auth: token,
      body: { ...runner, name: 'r1' }
    })
    await call(fake, 'POST', `${scope}/actions/runners/generate-jitconfig`, {
      auth: token,
      body: { ...runner, name: 'r2' }
    })
    await call(fake, 'GET', `${scope}/actions/runners?per_page=1`, { auth: token })
    const id = fake.runners.at(-1)?.id ?? 0
    fake.setRunner(id, { status: 'online', busy: true })
    await call(fake, 'GET', `${scope}/actions/runners/${id}`, { auth: token })
    await call(fake, 'DELETE', `${scope}/actions/runners/${id}`, { auth: token })
    fake.setRunner(id, { busy: false })
    await call(fake, 'DELETE', `${scope}/actions/runners/${id}`, { auth: token })
  }
  await call(fake, 'GET', '/orgs/octo-org/actions/runner-groups?per_page=2', { auth: token })
  await call(fake, 'GET', '/orgs/octo-org/actions/runner-groups/2/repositories', { auth: token })
  await call(fake, 'GET', `/users/${encodeURIComponent(`${fake.app.slug}[bot]`)}`, { auth: token })
  await call(fake, 'GET', '/users/no-such-user', { auth: token })
  await call(fake, 'GET', '/rate_limit', { auth: token })
  await call(fake, 'DELETE', '/installation/token', { auth: token })
}

describe('fake GitHub: conformance with GitHub OpenAPI description', () => {
  let fake: FakeGitHub
  beforeAll(async () => {
    fake = await startFakeGitHub()
    fake.addInstallation({
      account: 'octo-org',
      repositories: ['app', 'docs'],
      permissions: { administration: 'write', organization_self_hosted_runners: 'write' }
    })
    fake.addInstallation({
      account: 'mona',
      accountType: 'User',
      repositorySelection: 'all',
      repositories: ['dotfiles'],
      permissions: { contents: 'read' }
    })
    fake.addInstallation({
      account: 'acme',
      accountType: 'Enterprise',
      repositories: [],
      permissions: { enterprise_organization_installations: 'write' }
    })
    fake.addRunnerGroup('octo-org', {
      name: 'ci',
      visibility: 'selected',
      selectedRepositories: ['app', 'docs']
    })
    fake.addRunnerGroup('octo-org', {
      name: 'private',
      visibility: 'private',
      restrictedToWorkflows: true
    })
    await everyEndpoint(fake)
  })
  afterAll(() => fake.close())

  it('serves only routes that GitHub documents', () => {
    const undocumented = routes
      .filter((r) => !validatorFor(r.template).hasOperation(r.method, r.template))
      .map((r) => `${r.method} ${r.template}`)
    expect(undocumented).toEqual([])
  })

  it('serves only routes that GHES 3.17 (the oldest description shipped) documents too', () => {
    const ghes = loadDescription('ghes-3.17.json')
    const missing = routes.filter(
      (r) =>
        !ENTERPRISE_ONLY.has(r.template) &&
        ghes.paths[r.template]?.[r.method.toLowerCase()] === undefined
    )
    expect(missing.map((r) => `${r.method} ${r.template}`)).toEqual([])
  })

  it('was exercised on every route, each with a success', () => {
    const succeeded = new Set(
      fake.requests.filter((r) => r.status < 300).map((r) => `${r.method} ${r.operation}`)
    )
    expect(routes.map((r) => `${r.method} ${r.template}`).filter((r) => !succeeded.has(r))).toEqual(
      []
    )
  })

  it('answers with bodies valid against the documented response schemas', () => {
    const problems: string[] = []
    for (const r of fake.requests) {
      if (!r.operation) continue
      const validate = validatorFor(r.operation).validator(r.method, r.operation, r.status)
      if (!validate) {
        if (r.responseBody !== undefined)
          problems.push(`${r.method} ${r.path} ${r.status}: body where none is documented`)
        continue
      }
      if (!validate(r.responseBody))
        problems.push(
          `${r.method} ${r.path} ${r.status}: ${JSON.stringify(validate.errors?.slice(0, 3))}`
        )
    }
    expect(problems).toEqual([])
    const statuses = new Set(fake.requests.map((r) => r.status))
    expect([...statuses].sort()).toEqual([200, 201, 204, 404, 409, 422])
  })

  it('catches bodies that break the schema (so the checks above are not vacuous)', () => {
    const ok = fake.requests.find(
      (r) => r.operation === '/orgs/{org}/installation' && r.status === 200
    )
    const installation = validator.validator('GET', '/orgs/{org}/installation', 200)
    const body = ok?.responseBody as Record<string, unknown>
    expect(installation?.(body)).toBe(true)
    expect(installation?.({ ...body, account: null })).toBe(true) // nullable in the description
    expect(installation?.({ ...body, app_id: undefined })).toBe(false)
    expect(installation?.({ ...body, repository_selection: 'some' })).toBe(false)
    const runner = validator.validator('GET', '/orgs/{org}/actions/runners/{runner_id}', 200)
    expect(
      runner?.({
        id: 1,
        name: 'r',
        os: 'linux',
        status: 'online',
        busy: false,
        labels: ['self-hosted']
      })
    ).toBe(false)
  })
})
