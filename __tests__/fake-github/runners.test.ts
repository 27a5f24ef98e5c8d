import { loadDescription, ResponseValidator } from './openapi.js'
import { startFakeGitHub, type FakeGitHub } from './server.js'
import { call, mint, seedInstallations } from './test-client.js'

let fake: FakeGitHub
beforeEach(async () => {
  fake = await startFakeGitHub()
  seedInstallations(fake)
})
afterEach(() => fake.close())

describe('fake GitHub: runners', () => {
  const jit = { name: 'runner-1', runner_group_id: 1, labels: ['self-hosted', 'linux'] }

  it('answers 403 without the runner permissions or for another account', async () => {
    const contentsOnly = await mint(fake, 1000, { permissions: { contents: 'read' } })
    expect(
      await call(fake, 'POST', '/orgs/octo-org/actions/runners/registration-token', {
        auth: contentsOnly
      })
    ).toMatchObject({
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    expect(
      (
        await call(fake, 'POST', '/repos/octo-org/app/actions/runners/generate-jitconfig', {
          auth: contentsOnly,
          body: jit
        })
      ).status
    ).toBe(403)
    const readOnly = await mint(fake, 1000, {
      permissions: { organization_self_hosted_runners: 'read' }
    })
    expect(
      (await call(fake, 'GET', '/orgs/octo-org/actions/runners', { auth: readOnly })).status
    ).toBe(200)
    expect(
      (
        await call(fake, 'POST', '/orgs/octo-org/actions/runners/generate-jitconfig', {
          auth: readOnly,
          body: jit
        })
      ).status
    ).toBe(403)
    const full = await mint(fake, 1000)
    expect(
      (await call(fake, 'GET', '/orgs/other-org/actions/runners', { auth: full })).status
    ).toBe(403)
    const docsOnly = await mint(fake, 1000, { repositories: ['docs'] })
    expect(
      (await call(fake, 'GET', '/repos/octo-org/app/actions/runners', { auth: docsOnly })).status
    ).toBe(403)
  })

  it('creates JIT runners, refuses duplicate names with 409, and decodes to runner files', async () => {
    const token = await mint(fake, 1000)
    const created = await call(fake, 'POST', '/orgs/octo-org/actions/runners/generate-jitconfig', {
      auth: token,
      body: jit
    })
    expect(created.status).toBe(201)
    const body = created.body as { runner: { id: number }; encoded_jit_config: string }
    expect(body.runner).toMatchObject({
      name: 'runner-1',
      status: 'offline',
      busy: false,
      os: 'unknown',
      runner_group_id: 1
    })
    expect(body.runner).toHaveProperty('labels', [
      expect.objectContaining({ name: 'self-hosted', type: 'custom' }),
      expect.objectContaining({ name: 'linux' })
    ])
    const files = JSON.parse(Buffer.from(body.encoded_jit_config, 'base64').toString()) as Record<
      string,
      string
    >
    const decode = (name: string): Record<string, unknown> =>
      JSON.parse(Buffer.from(files[name] ?? '', 'base64').toString()) as Record<string, unknown>
    expect(decode('.runner')).toMatchObject({
      AgentName: 'runner-1',
      GitHubUrl: 'https://github.com/octo-org',
      WorkFolder: '_work'
    })
    expect(decode('.credentials')).toMatchObject({
      Scheme: 'OAuth',
      Data: { requireFipsCryptography: 'True' }
    })
    expect(Object.keys(decode('.credentials_rsaparams')).sort()).toEqual([
      'd',
      'dp',
      'dq',
      'exponent',
      'inverseQ',
      'modulus',
      'p',
      'q'
    ])
    const duplicate = await call(
      fake,
      'POST',
      '/orgs/octo-org/actions/runners/generate-jitconfig',
      { auth: token, body: jit }
    )
    expect(duplicate).toMatchObject({
      status: 409,
      body: { message: 'Already exists - A runner with the name runner-1 already exists.' }
    })
    const repoScoped = await call(
      fake,
      'POST',
      '/repos/octo-org/app/actions/runners/generate-jitconfig',
      { auth: token, body: jit }
    )
    expect(repoScoped.status).toBe(201)
    expect(
      (
        await call(fake, 'POST', '/orgs/octo-org/actions/runners/generate-jitconfig', {
          auth: token,
          body: { ...jit, name: 'x', runner_group_id: 77 }
        })
      ).status
    ).toBe(404)
    expect(
      (
        await call(fake, 'POST', '/orgs/octo-org/actions/runners/generate-jitconfig', {
          auth: token,
          body: { ...jit, name: 'x', labels: [] }
        })
      ).status
    ).toBe(422)
  })

  it('lists, filters, gets and deletes runners; a busy runner cannot be deleted', async () => {
    const token = await mint(fake, 1000)
    for (const name of ['a', 'b'])
      await call(fake, 'POST', '/orgs/octo-org/actions/runners/generate-jitconfig', {
        auth: token,
        body: { ...jit, name }
      })
    const filtered = await call(fake, 'GET', '/orgs/octo-org/actions/runners?name=b', {
      auth: token
    })
    expect(filtered.body).toMatchObject({ total_count: 1, runners: [{ name: 'b' }] })
    const id = fake.runners[0]?.id ?? 0
    fake.setRunner(id, { status: 'online', busy: true })
    expect(
      (await call(fake, 'GET', `/orgs/octo-org/actions/runners/${id}`, { auth: token })).body
    ).toMatchObject({ status: 'online', busy: true })
    expect(
      await call(fake, 'DELETE', `/orgs/octo-org/actions/runners/${id}`, { auth: token })
    ).toMatchObject({
      status: 422,
      body: { message: 'Bad request - Runner "a" is still running a job"' }
    })
    fake.setRunner(id, { busy: false })
    expect(
      (await call(fake, 'DELETE', `/orgs/octo-org/actions/runners/${id}`, { auth: token })).status
    ).toBe(204)
    expect(
      (await call(fake, 'GET', `/orgs/octo-org/actions/runners/${id}`, { auth: token })).status
    ).toBe(404)
    fake.removeRunner(fake.runners[0]?.id ?? 0)
    expect(
      (await call(fake, 'GET', '/orgs/octo-org/actions/runners', { auth: token })).body
    ).toEqual({ total_count: 0, runners: [] })
  })

  it('pages runner groups with a Link header like GitHub', async () => {
    for (const name of ['g2', 'g3', 'g4', 'g5'])
      fake.addRunnerGroup('octo-org', {
        name,
        visibility: 'selected',
        selectedRepositories: ['app']
      })
    const token = await mint(fake, 1000)
    const first = await call(fake, 'GET', '/orgs/octo-org/actions/runner-groups?per_page=2', {
      auth: token
    })
    expect(first.body).toMatchObject({
      total_count: 5,
      runner_groups: [{ id: 1, name: 'Default', default: true, visibility: 'all' }, { name: 'g2' }]
    })
    expect(first.headers.get('link')).toBe(
      `<${fake.url}/orgs/octo-org/actions/runner-groups?per_page=2&page=2>; rel="next", <${fake.url}/orgs/octo-org/actions/runner-groups?per_page=2&page=3>; rel="last"`
    )
    const last = await call(fake, 'GET', '/orgs/octo-org/actions/runner-groups?per_page=2&page=3', {
      auth: token
    })
    expect((last.body as { runner_groups: unknown[] }).runner_groups).toHaveLength(1)
    expect(last.headers.get('link')).not.toContain('rel="next"')
    const repos = await call(fake, 'GET', '/orgs/octo-org/actions/runner-groups/2/repositories', {
      auth: token
    })
    expect(repos.body).toMatchObject({
      total_count: 1,
      repositories: [{ full_name: 'octo-org/app' }]
    })
  })

  it('seeds runners in any state, with GitHub-like defaults, refusing a taken name', async () => {
    const org = { org: 'octo-org' }
    const plain = fake.addRunner({ name: 'plain', scope: org })
    expect(plain).toMatchObject({
      name: 'plain',
      labels: ['self-hosted'],
      status: 'offline',
      busy: false,
      runnerGroupId: 1,
      os: 'linux'
    })
    fake.addRunner({ name: 'stuck', scope: org, status: 'offline', busy: true, labels: ['gpu'] })
    fake.addRunner({ name: 'plain', scope: { owner: 'octo-org', repo: 'app' } })
    expect(() => fake.addRunner({ name: 'PLAIN', scope: org })).toThrow(
      'fake GitHub: a runner named PLAIN already exists in that scope'
    )
    const token = await mint(fake, 1000)
    const listed = await call(fake, 'GET', '/orgs/octo-org/actions/runners', { auth: token })
    expect(listed.body).toMatchObject({
      total_count: 2,
      runners: [
        { name: 'plain', status: 'offline', busy: false },
        { name: 'stuck', status: 'offline', busy: true, labels: [{ name: 'gpu', type: 'custom' }] }
      ]
    })
  })

  it('pages 250 runners by per_page and page, with total_count and a Link header', async () => {
    for (let i = 1; i <= 250; i++) fake.addRunner({ name: `r${i}`, scope: { org: 'octo-org' } })
    const token = await mint(fake, 1000)
    const page = (n: number) =>
      call(fake, 'GET', `/orgs/octo-org/actions/runners?per_page=100&page=${n}`, { auth: token })
    const [first, third, beyond] = [await page(1), await page(3), await page(4)]
    const names = (answer: typeof first) =>
      (answer.body as { runners: { name: string }[] }).runners.map((r) => r.name)
    expect(first.body).toMatchObject({ total_count: 250 })
    expect(names(first)).toHaveLength(100)
    expect(names(first)[0]).toBe('r1')
    expect(names(third)).toEqual(Array.from({ length: 50 }, (_, i) => `r${201 + i}`))
    expect(beyond.body).toEqual({ total_count: 250, runners: [] })
    expect(first.headers.get('link')).toBe(
      `<${fake.url}/orgs/octo-org/actions/runners?per_page=100&page=2>; rel="next", <${fake.url}/orgs/octo-org/actions/runners?per_page=100&page=3>; rel="last"`
    )
    const validator = new ResponseValidator(loadDescription())
    const validate = validator.validator('GET', '/orgs/{org}/actions/runners', 200)
    expect(validate?.(third.body)).toBe(true)
  })

  it('runs a request hook before answering, so a runner can change between two requests', async () => {
    const runner = fake.addRunner({ name: 'idle', scope: { org: 'octo-org' } })
    const path = `/orgs/octo-org/actions/runners/${runner.id}`
    const seen: string[] = []
    fake.onRequest({
      method: 'GET',
      path,
      run: (request) => {
        seen.push(`${request.method} ${request.path}`)
        fake.setRunner(runner.id, { status: 'online', busy: true })
      }
    })
    const token = await mint(fake, 1000)
    expect((await call(fake, 'GET', path, { auth: token })).body).toMatchObject({
      status: 'online',
      busy: true
    })
    expect((await call(fake, 'DELETE', path, { auth: token })).status).toBe(422)
    expect(seen).toEqual([`GET ${path}`])
    fake.setRunner(runner.id, { busy: false })
    fake.onRequest({
      method: 'DELETE',
      path: /\/runners\/\d+$/,
      run: () => fake.removeRunner(runner.id)
    })
    expect((await call(fake, 'DELETE', path, { auth: token })).status).toBe(404)
  })
})
