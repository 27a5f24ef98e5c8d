import { startFakeGitHub, type FakeGitHub } from './server.js'
import { appJwt, call, mint, seedInstallations } from './test-client.js'

let fake: FakeGitHub
beforeEach(async () => {
  fake = await startFakeGitHub()
  seedInstallations(fake)
})
afterEach(() => fake.close())

describe('fake GitHub: installation tokens', () => {
  it('mints with the installation permissions and repositories by default', async () => {
    const answer = await call(fake, 'POST', '/app/installations/1000/access_tokens', {
      auth: await appJwt(fake)
    })
    expect(answer.status).toBe(201)
    const body = answer.body as {
      token: string
      expires_at: string
      repositories: Array<{ name: string }>
    }
    // GitHub's stateless format (since April 2026): ghs_APPID_JWT, about 520 characters.
    expect(body.token).toMatch(/^ghs_424242_[\w-]+\.[\w-]+\.[\w-]+$/)
    expect(body.token.length).toBeGreaterThan(400)
    expect(body.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(body).toMatchObject({
      repository_selection: 'selected',
      permissions: { contents: 'write' }
    })
    expect(body.repositories.map((r) => r.name)).toEqual(['app', 'docs'])
    expect(fake.tokens.get(body.token)).toMatchObject({
      installationId: 1000,
      repositories: ['app', 'docs'],
      revoked: false
    })
  })

  it('narrows to requested repositories (by name or id) and permissions', async () => {
    const jwt = await appJwt(fake)
    const first = await call(fake, 'POST', '/app/installations/1000/access_tokens', {
      auth: jwt,
      body: { repositories: ['docs'], permissions: { contents: 'read' } }
    })
    const docsId = (first.body as { repositories: Array<{ id: number }> }).repositories[0]?.id
    expect(first.body).toMatchObject({
      permissions: { contents: 'read' },
      repository_selection: 'selected'
    })
    const byId = await call(fake, 'POST', '/app/installations/1000/access_tokens', {
      auth: jwt,
      body: { repository_ids: [docsId] }
    })
    expect(byId.body).toMatchObject({
      repositories: [{ name: 'docs', full_name: 'octo-org/docs' }]
    })
    const all = await call(fake, 'POST', '/app/installations/1001/access_tokens', { auth: jwt })
    expect(all.body).toMatchObject({ repository_selection: 'all' })
    expect(all.body).not.toHaveProperty('repositories')
  })

  it.each([
    [
      'a permission the installation lacks',
      { permissions: { issues: 'read' } },
      'The permissions requested are not granted to this installation.'
    ],
    [
      'a higher level than granted',
      { permissions: { contents: 'admin' } },
      'The permissions requested are not granted to this installation.'
    ],
    [
      'an unknown repository name',
      { repositories: ['nope'] },
      'There is at least one repository that does not exist or is not accessible to the parent installation.'
    ],
    [
      'an unknown repository id',
      { repository_ids: [1] },
      'There is at least one repository that does not exist or is not accessible to the parent installation.'
    ],
    [
      'more than 500 repositories',
      { repositories: Array.from({ length: 501 }, (_, i) => `r${i}`) },
      'The maximum number of repositories (500) has been exceeded.'
    ]
  ])('answers 422 for %s', async (_, body, message) => {
    const answer = await call(fake, 'POST', '/app/installations/1000/access_tokens', {
      auth: await appJwt(fake),
      body
    })
    expect(answer).toMatchObject({ status: 422, body: { message, status: '422' } })
  })

  it("issues classic 40-character tokens for an installation added with tokenFormat 'classic'", async () => {
    const classic = fake.addInstallation({
      account: 'classic-org',
      repositories: ['app'],
      permissions: { contents: 'read' },
      tokenFormat: 'classic'
    })
    const token = await mint(fake, classic.id)
    expect(token).toMatch(/^ghs_[A-Za-z0-9]{36}$/)
    expect(fake.tokens.get(token)).toMatchObject({ installationId: classic.id })
    expect((await call(fake, 'DELETE', '/installation/token', { auth: token })).status).toBe(204)
  })

  describe('the format header X-GitHub-Stateless-S2S-Token chooses the format of one mint', () => {
    const CLASSIC = /^ghs_[A-Za-z0-9]{36}$/
    const STATELESS = /^ghs_424242_[\w-]+\.[\w-]+\.[\w-]+$/
    const mintWith = async (installationId: number, header?: string) => {
      const answer = await call(
        fake,
        'POST',
        `/app/installations/${installationId}/access_tokens`,
        {
          auth: await appJwt(fake),
          headers: header === undefined ? {} : { 'X-GitHub-Stateless-S2S-Token': header }
        }
      )
      expect(answer.status).toBe(201)
      return (answer.body as { token: string }).token
    }
    const classicOrg = () =>
      fake.addInstallation({
        account: 'classic-org',
        repositories: ['app'],
        permissions: { contents: 'read' },
        tokenFormat: 'classic'
      }).id

    it("'enabled': stateless, also where the installation's format is classic", async () => {
      const token = await mintWith(classicOrg(), 'enabled')
      expect(token).toMatch(STATELESS)
      expect(token.length).toBeGreaterThan(400)
      expect(fake.requests.at(-1)!.headers['x-github-stateless-s2s-token']).toBe('enabled')
    })

    it("'disabled': classic, 40 characters, where the installation's format is stateless", async () => {
      const token = await mintWith(1000, 'disabled')
      expect(token).toMatch(CLASSIC)
      expect(fake.tokens.get(token)).toMatchObject({ installationId: 1000, revoked: false })
    })

    it("absent, or a value GitHub ignores ('true', 'false'): the installation's format", async () => {
      const id = classicOrg()
      expect(await mintWith(1000)).toMatch(STATELESS)
      expect(await mintWith(1000, 'false')).toMatch(STATELESS)
      expect(await mintWith(id)).toMatch(CLASSIC)
      expect(await mintWith(id, 'true')).toMatch(CLASSIC)
      expect(fake.requests.at(-4)!.headers).not.toHaveProperty('x-github-stateless-s2s-token')
    })

    it('is ignored by a server that does not know it (knowsFormatHeader: false)', async () => {
      fake.knowsFormatHeader = false
      expect(await mintWith(1000, 'disabled')).toMatch(STATELESS)
      expect(await mintWith(classicOrg(), 'enabled')).toMatch(CLASSIC)
    })

    it('records the headers without the credential', async () => {
      await mintWith(1000, 'enabled')
      const { headers } = fake.requests.at(-1)!
      expect(headers).toMatchObject({ accept: 'application/vnd.github+json' })
      expect(headers).not.toHaveProperty('authorization')
    })
  })

  it('tells a JWT-shaped installation token from an App JWT by its prefix', async () => {
    const token = await mint(fake, 1000)
    await call(fake, 'DELETE', '/installation/token', { auth: token })
    expect(fake.requests.at(-1)).toMatchObject({ auth: 'token', status: 204 })
  })

  it('answers 404 for an unknown installation', async () => {
    expect(
      (await call(fake, 'POST', '/app/installations/1/access_tokens', { auth: await appJwt(fake) }))
        .status
    ).toBe(404)
  })

  it('revokes, then refuses the token with 401 Bad credentials', async () => {
    const token = await mint(fake, 1000)
    expect((await call(fake, 'DELETE', '/installation/token', { auth: token })).status).toBe(204)
    expect(fake.tokens.get(token)?.revoked).toBe(true)
    const again = await call(fake, 'DELETE', '/installation/token', { auth: token })
    expect(again).toMatchObject({ status: 401, body: { message: 'Bad credentials' } })
    expect(
      (await call(fake, 'GET', '/orgs/octo-org/actions/runners', { auth: token })).status
    ).toBe(401)
  })

  it('refuses an expired token', async () => {
    const token = await mint(fake, 1000)
    fake.clockSkewMs = 61 * 60_000
    expect(
      (await call(fake, 'GET', '/orgs/octo-org/actions/runners', { auth: token })).status
    ).toBe(401)
  })
})
