import { createAppAuth } from '@octokit/auth-app'
import { request } from '@octokit/request'
import { generateKeyPairSync } from 'node:crypto'
import { startFakeGitHub, type FakeGitHub } from './server.js'
import { appJwt, call, handMadeJwt, mint, seedInstallations } from './test-client.js'

let fake: FakeGitHub
beforeEach(async () => {
  fake = await startFakeGitHub()
  seedInstallations(fake)
})
afterEach(() => fake.close())

const nowSeconds = (): number => Math.floor(Date.now() / 1000)

describe('fake GitHub: App JWT', () => {
  it('accepts a JWT from @octokit/auth-app and finds installations (owner case-insensitive)', async () => {
    const jwt = await appJwt(fake)
    const repo = await call(fake, 'GET', '/repos/Octo-Org/app/installation', { auth: jwt })
    expect(repo.status).toBe(200)
    expect(repo.body).toMatchObject({
      id: 1000,
      app_id: fake.app.id,
      account: { login: 'octo-org' },
      single_file_name: null
    })
    expect(repo.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(repo.headers.get('x-github-request-id')).toBeTruthy()
    expect((await call(fake, 'GET', '/users/mona/installation', { auth: jwt })).body).toMatchObject(
      { id: 1001 }
    )
    expect(
      (await call(fake, 'GET', '/repos/octo-org/unknown/installation', { auth: jwt })).status
    ).toBe(404)
    const missing = await call(fake, 'GET', '/orgs/nobody/installation', { auth: jwt })
    expect(missing.body).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404'
    })
  })

  it('accepts the client id as issuer', async () => {
    const jwt = handMadeJwt(fake.app.privateKey, {
      iss: fake.app.clientId,
      iat: nowSeconds() - 30,
      exp: nowSeconds() + 500
    })
    expect((await call(fake, 'GET', '/app', { auth: jwt })).status).toBe(200)
  })

  it('rejects a JWT signed with another key, and an installation token on a JWT route', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString()
    const jwt = handMadeJwt(other, {
      iss: fake.app.id,
      iat: nowSeconds() - 30,
      exp: nowSeconds() + 500
    })
    const answer = await call(fake, 'GET', '/app', { auth: jwt })
    expect(answer).toMatchObject({
      status: 401,
      body: { message: 'A JSON web token could not be decoded' }
    })
    const token = await mint(fake, 1000)
    expect((await call(fake, 'GET', '/app', { auth: token })).status).toBe(401)
  })

  it.each([
    [
      'exp in the past',
      { iat: -100, exp: -1 },
      "'Expiration time' claim ('exp') must be a numeric value"
    ],
    [
      'exp beyond 10 minutes',
      { iat: 0, exp: 660 },
      "'Expiration time' claim ('exp') is too far in the future"
    ],
    ['iat in the future', { iat: 120, exp: 300 }, "'Issued at' claim ('iat') must be an Integer"],
    [
      'exp - iat over 10 minutes',
      { iat: -100, exp: 550 },
      "'Expiration time' claim ('exp') is too far in the future"
    ]
  ])('rejects %s', async (_, offsets, message) => {
    const now = nowSeconds()
    const jwt = handMadeJwt(fake.app.privateKey, {
      iss: String(fake.app.id),
      iat: now + offsets.iat,
      exp: now + offsets.exp
    })
    const answer = await call(fake, 'GET', '/app', { auth: jwt })
    expect(answer.status).toBe(401)
    expect((answer.body as { message: string }).message).toContain(message)
  })

  it.each([
    ['+15 min', 15 * 60_000, "'Expiration time' claim ('exp') must be a numeric value"],
    ['-15 min', -15 * 60_000, "'Expiration time' claim ('exp') is too far in the future"]
  ])(
    'applies the rules against the fake clock (%s) and sends that clock in Date',
    async (_, skew, message) => {
      fake.clockSkewMs = skew
      const answer = await call(fake, 'GET', '/app', { auth: await appJwt(fake) })
      expect(answer.status).toBe(401)
      expect((answer.body as { message: string }).message).toContain(message)
      const serverDate = Date.parse(answer.headers.get('date') ?? '')
      expect(Math.abs(serverDate - (Date.now() + skew))).toBeLessThan(5_000)
    }
  )

  it('lets @octokit/auth-app recover from clock skew using the Date header', async () => {
    fake.clockSkewMs = 15 * 60_000
    const auth = createAppAuth({
      appId: fake.app.id,
      privateKey: fake.app.privateKey,
      log: { warn: () => {} }
    })
    const appRequest = request.defaults({
      baseUrl: fake.url,
      request: { hook: auth.hook.bind(auth) }
    })
    const { data } = await appRequest('POST /app/installations/{installation_id}/access_tokens', {
      installation_id: 1000
    })
    expect(fake.tokens.get(data.token)).toMatchObject({ installationId: 1000 })
    expect(fake.requests.map((r) => r.status)).toEqual([401, 201])
  })
})

describe('fake GitHub: GHES path prefix and records', () => {
  it('serves under /api/v3 and records paths without the prefix', async () => {
    const ghes = await startFakeGitHub({ pathPrefix: '/api/v3' })
    try {
      expect(ghes.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/)
      const answer = await call(ghes, 'GET', '/app?x=1', { auth: await appJwt(ghes) })
      expect(answer.status).toBe(200)
      expect(ghes.requests[0]).toMatchObject({
        method: 'GET',
        path: '/app',
        query: { x: '1' },
        auth: 'jwt',
        status: 200,
        operation: '/app'
      })
      expect((await fetch(ghes.url.replace('/api/v3', '') + '/app')).status).toBe(404)
    } finally {
      await ghes.close()
    }
  })
})
