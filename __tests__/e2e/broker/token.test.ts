import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { keyLinesOf } from '../../harness/assert-no-leaks.js'
import { BROKER_STORES, suiteDatabase, type SuiteDatabase } from '../../harness/broker-store.js'
import { startOidcIssuer, type OidcIssuer } from '../../harness/oidc-issuer.js'
import {
  AUDIENCE,
  brokerConfig,
  brokerDir,
  startBroker,
  type BrokerProcess
} from '../../harness/run-broker.js'

/**
 * `mint-token serve` (dist/cli) between a local OIDC issuer and the fake GitHub API: installation
 * tokens for verified callers within their policy's grant, and every attack refused with its
 * status and reason, nothing minted. Once on each store (SQLite, PostgreSQL).
 */
const POLICIES = [
  {
    name: 'ci',
    match: { repository_owner: 'octo-org', ref: 'refs/heads/main' },
    grant: {
      kind: 'installation',
      owner: 'octo-org',
      repositories: '$repository',
      permissions: { contents: 'write', metadata: 'read' }
    }
  },
  {
    name: 'docs-readers',
    match: { sub: { pattern: 'repo:octo-org/[a-z]+:.*' } },
    grant: {
      kind: 'installation',
      owner: 'octo-org',
      repositories: ['docs'],
      permissions: { contents: 'read' }
    }
  }
]

describe.each(BROKER_STORES)('store: %s', (store) => {
  let fake: FakeGitHub
  let issuer: OidcIssuer
  let broker: BrokerProcess
  let database: SuiteDatabase
  beforeAll(async () => {
    database = await suiteDatabase(store)
    fake = await startFakeGitHub()
    fake.addInstallation({
      account: 'octo-org',
      repositorySelection: 'all',
      repositories: ['app', 'docs', 'secret'],
      permissions: { contents: 'write', metadata: 'read', issues: 'write' }
    })
    issuer = await startOidcIssuer({ audience: AUDIENCE })
    const dir = brokerDir()
    broker = await startBroker(brokerConfig(fake, issuer, dir, POLICIES, database.config), dir)
  })
  afterAll(async () => {
    await broker?.stop()
    await issuer?.close()
    await fake?.close()
    await database?.close()
  })

  const mints = () => fake.requests.filter((r) => r.path.endsWith('/access_tokens'))
  /** Everything a broker must never write down: the App's key and every token GitHub issued. */
  function expectNoSecretsIn(text: string) {
    for (const line of keyLinesOf(fake.app.privateKey)) expect(text).not.toContain(line)
    for (const token of fake.tokens.keys()) expect(text).not.toContain(token)
  }

  describe('broker: POST /v1/token', () => {
    test("the caller's own repository, the grant's permissions; the token is GitHub's", async () => {
      const before = mints().length
      const reply = await broker.call('/v1/token', await issuer.sign(), { policy: 'ci' })
      expect(reply.status).toBe(201)
      const token = reply.body.token as string
      expect(fake.tokens.get(token)).toMatchObject({ revoked: false })
      expect(reply.body).toEqual({
        token,
        expires_at: fake.tokens.get(token)!.expiresAt.toISOString().replace('.000Z', 'Z'),
        installation_id: expect.any(Number) as unknown,
        owner: 'octo-org',
        app_slug: fake.app.slug,
        repositories: ['app'],
        permissions: { contents: 'write', metadata: 'read' },
        token_hash: expect.stringMatching(/^[A-Za-z0-9+/=]+$/) as unknown
      })
      expect(
        mints()
          .slice(before)
          .map((r) => r.body)
      ).toEqual([{ repositories: ['app'], permissions: { contents: 'write', metadata: 'read' } }])
    })

    test('down-scoped within the grant: fewer permissions, a listed repository', async () => {
      const reply = await broker.call(
        '/v1/token',
        await issuer.sign({ sub: 'repo:octo-org/web:ref:refs/heads/x' }),
        {
          policy: 'docs-readers',
          repositories: ['octo-org/docs'],
          permissions: { contents: 'read' }
        }
      )
      expect(reply.status).toBe(201)
      expect(reply.body).toMatchObject({
        repositories: ['docs'],
        permissions: { contents: 'read' }
      })
    })

    test('an ES256 token is accepted', async () => {
      const reply = await broker.call('/v1/token', await issuer.sign({}, { alg: 'ES256' }), {
        policy: 'ci'
      })
      expect(reply.status).toBe(201)
    })

    test('the audit trail: one row per request, with the caller, decision and the token hash', async () => {
      const token = await issuer.sign({ run_id: '999' })
      const ok = await broker.call('/v1/token', token, { policy: 'ci' })
      const refused = await broker.call('/v1/token', await issuer.sign({ run_id: '998' }), {
        policy: 'ci',
        permissions: { issues: 'write' }
      })
      expect(refused.status).toBe(403)
      const { runCli } = await import('../../harness/run-cli.js')
      const audit = await runCli(['audit', '--config', broker.configPath, '--json'], {
        cwd: broker.dir
      })
      expect(audit.exitCode).toBe(0)
      const rows = JSON.parse(audit.stdout) as Record<string, unknown>[]
      expect(rows.find((r) => r.run_id === '999')).toMatchObject({
        route: '/v1/token',
        decision: 'allowed',
        status: 201,
        issuer: issuer.url,
        subject: 'repo:octo-org/app:ref:refs/heads/main',
        repository: 'octo-org/app',
        job_workflow_ref: 'octo-org/app/.github/workflows/ci.yml@refs/heads/main',
        actor: 'octocat',
        policy: 'ci',
        repositories: ['app'],
        token_hash: ok.body.token_hash,
        expires_at: ok.body.expires_at
      })
      expect(rows.find((r) => r.run_id === '998')).toMatchObject({
        decision: 'refused',
        status: 403,
        reason: "permission issues:write is not granted by policy 'ci'"
      })
      expectNoSecretsIn(audit.stdout + audit.stderr)
      const stored = database.storedText(broker.dir)
      expect(stored).toContain(ok.body.token_hash)
      expectNoSecretsIn(stored)
    })
  })

  describe('broker: attacks are refused with their status and reason, nothing minted', () => {
    const signed =
      (claims: Record<string, unknown> = {}, audience?: string) =>
      () =>
        issuer.sign(claims, { audience })
    const now = () => Math.floor(Date.now() / 1000)
    const cases: [
      string,
      () => Promise<string | undefined> | string | undefined,
      unknown,
      number,
      string
    ][] = [
      [
        'no token',
        () => undefined,
        { policy: 'ci' },
        401,
        'no bearer token: send Authorization: Bearer <OIDC token>'
      ],
      ['not a JWT', () => 'not-a-jwt', { policy: 'ci' }, 401, 'the bearer token is not a JWT'],
      [
        'wrong aud',
        signed({}, 'https://other.test'),
        { policy: 'ci' },
        401,
        "the token's audience does not include 'https://broker.test'"
      ],
      [
        'look-alike iss',
        signed({ iss: 'http://127.0.0.1.evil.test' }),
        { policy: 'ci' },
        401,
        "issuer 'http://127.0.0.1.evil.test' is not trusted"
      ],
      [
        'iss with a trailing slash',
        () => issuer.sign({ iss: `${issuer.url}/` }),
        { policy: 'ci' },
        401,
        'is not trusted'
      ],
      [
        'expired',
        () => issuer.sign({ iat: now() - 500, nbf: now() - 500, exp: now() - 120 }),
        { policy: 'ci' },
        401,
        'the token has expired'
      ],
      [
        'not yet valid',
        () => issuer.sign({ nbf: now() + 300, exp: now() + 600 }),
        { policy: 'ci' },
        401,
        'the token is not valid yet (nbf)'
      ],
      [
        'too old',
        () => issuer.sign({ iat: now() - 1200, nbf: now() - 1200, exp: now() + 300 }),
        { policy: 'ci' },
        401,
        'the token was issued more than 10 minutes ago, or in the future (iat)'
      ],
      [
        'alg none',
        () => issuer.forge.algNone(),
        { policy: 'ci' },
        401,
        "algorithm 'none' is not accepted (RS256, ES256)"
      ],
      [
        'HS256 signed with the public key',
        () => issuer.forge.hs256WithPublicKey(),
        { policy: 'ci' },
        401,
        "algorithm 'HS256' is not accepted (RS256, ES256)"
      ],
      [
        'unknown kid',
        () => issuer.forge.unknownKid(),
        { policy: 'ci' },
        401,
        "no key of the issuer matches the token's kid"
      ],
      [
        'tampered payload',
        () => issuer.forge.tampered({ repository: 'octo-org/secret' }),
        { policy: 'ci' },
        401,
        'the signature does not verify'
      ],
      [
        'no jti',
        signed({ jti: undefined }),
        { policy: 'ci' },
        401,
        'the token has no jti claim, so a replay could not be told apart'
      ],
      [
        'a claim that matches no policy',
        signed({ ref: 'refs/heads/evil' }),
        { policy: 'ci' },
        403,
        "policy 'ci' does not match the caller: its claim 'ref' is not refs/heads/main"
      ],
      [
        'a sub that matches no pattern',
        signed({ sub: 'repo:evil/app:ref:refs/heads/main' }),
        { policy: 'docs-readers' },
        403,
        "policy 'docs-readers' does not match the caller: its claim 'sub' is not /repo:octo-org/[a-z]+:.*/"
      ],
      ['an unknown policy', signed(), { policy: 'admin' }, 403, "there is no policy 'admin'"],
      ['no policy named', signed(), {}, 400, "the body names no 'policy'"],
      [
        'excess permissions',
        signed(),
        { policy: 'ci', permissions: { issues: 'write' } },
        403,
        "permission issues:write is not granted by policy 'ci'"
      ],
      [
        'a higher level',
        signed(),
        { policy: 'docs-readers', permissions: { contents: 'write' } },
        403,
        "permission contents:write is not granted by policy 'docs-readers' (it grants contents:read)"
      ],
      [
        'a repository outside the grant',
        signed(),
        { policy: 'ci', repositories: ['secret'] },
        403,
        "repository 'secret' is not granted by policy 'ci'"
      ],
      [
        'another owner',
        signed(),
        { policy: 'docs-readers', repositories: ['evil/docs'] },
        403,
        "repository 'evil/docs' is not granted by policy 'docs-readers'"
      ],
      ['a body that is not JSON', signed(), '{policy', 400, 'the body is not JSON'],
      [
        'an oversized body',
        signed(),
        { policy: 'ci', padding: 'x'.repeat(70_000) },
        413,
        'the body is larger than 65536 bytes'
      ]
    ]
    test.each(cases)('%s', async (_name, token, body, status, reason) => {
      const before = mints().length
      const reply = await broker.call('/v1/token', await token(), body)
      expect(reply).toEqual({ status, body: { error: expect.stringContaining(reason) as unknown } })
      expect(mints().length).toBe(before)
    })

    test('a replayed token: the second use is refused', async () => {
      const token = await issuer.sign()
      expect((await broker.call('/v1/token', token, { policy: 'ci' })).status).toBe(201)
      const before = mints().length
      const replay = await broker.call('/v1/token', token, { policy: 'ci' })
      expect(replay).toEqual({
        status: 401,
        body: { error: 'the token was already used (its jti was seen before)' }
      })
      expect(mints().length).toBe(before)
    })

    test('the JWKS endpoint down: fail closed (503), nothing minted', async () => {
      // A fresh broker: the running one has the keys cached, as it should.
      const dir = brokerDir()
      const other = await startBroker(
        brokerConfig(fake, issuer, dir, POLICIES, database.config),
        dir
      )
      issuer.down = true
      try {
        const before = mints().length
        const reply = await other.call('/v1/token', await issuer.sign(), { policy: 'ci' })
        expect(reply).toEqual({
          status: 503,
          body: { error: "the issuer's signing keys could not be fetched; nothing was minted" }
        })
        expect(mints().length).toBe(before)
      } finally {
        issuer.down = false
        await other.stop()
      }
    })

    test('the log holds reasons, never a token or the key', () => {
      expect(broker.log()).toContain('401 ')
      expectNoSecretsIn(broker.log())
    })
  })

  describe('broker: health and metrics', () => {
    test('GET /healthz and GET /metrics', async () => {
      const health = await fetch(`${broker.url}/healthz`)
      expect(health.status).toBe(200)
      const metrics = await (await fetch(`${broker.url}/metrics`)).text()
      expect(metrics).toMatch(
        /^mint_token_broker_requests_total\{route="\/v1\/token",status="201"\} \d+$/m
      )
      expect(metrics).toMatch(
        /^mint_token_broker_requests_total\{route="\/v1\/token",status="401"\} \d+$/m
      )
      expect(metrics).toMatch(/^mint_token_broker_mint_seconds_count [1-9]\d*$/m)
      expect(metrics).toMatch(
        /^mint_token_broker_jwks_fetches_total\{issuer="http:\/\/127\.0\.0\.1:\d+"\} [1-9]$/m
      )
    })
  })
})
