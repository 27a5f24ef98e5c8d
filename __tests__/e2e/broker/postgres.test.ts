import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { startOidcIssuer, type OidcIssuer } from '../../harness/oidc-issuer.js'
import { startPostgres, type TestPostgres } from '../../harness/postgres.js'
import {
  AUDIENCE,
  brokerConfig,
  brokerDir,
  startBroker,
  type BrokerProcess
} from '../../harness/run-broker.js'
import { runCli } from '../../harness/run-cli.js'

/**
 * Several `mint-token serve` processes on one PostgreSQL database, as behind a load balancer:
 * one replay cache (a token used at one instance is refused at any other), one audit trail, and
 * a database that goes away answered with 503 and nothing minted. What every store does is in
 * token.test.ts, which runs on PostgreSQL too.
 */
const POLICIES = [
  {
    name: 'ci',
    match: { repository_owner: 'octo-org' },
    grant: { kind: 'installation', owner: 'octo-org', permissions: { contents: 'read' } }
  }
]

let postgres: TestPostgres
let fake: FakeGitHub
let issuer: OidcIssuer
let database: string
let first: BrokerProcess
let second: BrokerProcess
beforeAll(async () => {
  postgres = await startPostgres()
  database = await postgres.createDatabase()
  fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { contents: 'read' }
  })
  issuer = await startOidcIssuer({ audience: AUDIENCE })
  // Both at once, on an empty database: both create the tables (one waits for the other).
  ;[first, second] = await Promise.all([instance(), instance()])
})
afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()])
  await issuer?.close()
  await fake?.close()
  await postgres?.close()
})

async function instance(url = database): Promise<BrokerProcess> {
  const dir = brokerDir()
  return startBroker(brokerConfig(fake, issuer, dir, POLICIES, { database: url }), dir)
}

const mints = () => fake.requests.filter((r) => r.path.endsWith('/access_tokens'))
const REPLAY = {
  status: 401,
  body: { error: 'the token was already used (its jti was seen before)' }
}

async function auditOf(broker: BrokerProcess): Promise<Record<string, unknown>[]> {
  const run = await runCli(['audit', '--config', broker.configPath, '--json'], {
    cwd: broker.dir,
    fake
  })
  expect(run).toMatchObject({ exitCode: 0, stderr: '' })
  return JSON.parse(run.stdout) as Record<string, unknown>[]
}

/** The password in any form a URL or a driver could print it. */
function expectNoPasswordIn(text: string) {
  expect(text).not.toContain(postgres.password)
  expect(text).not.toContain(encodeURIComponent(postgres.password))
}

describe('broker on PostgreSQL: two instances share one database', () => {
  test('a token used at the first is refused at the second; both write one audit trail', async () => {
    const token = await issuer.sign({ run_id: '101' })
    expect((await first.call('/v1/token', token, { policy: 'ci' })).status).toBe(201)
    const before = mints().length
    expect(await second.call('/v1/token', token, { policy: 'ci' })).toEqual(REPLAY)
    expect(mints().length).toBe(before)
    const other = await second.call('/v1/token', await issuer.sign({ run_id: '102' }), {
      policy: 'ci'
    })
    expect(other.status).toBe(201)

    const rows = await auditOf(first)
    expect(await auditOf(second)).toEqual(rows)
    // The replay's row has no caller: the token was refused before its claims were trusted.
    expect(rows.map((row) => [row.run_id, row.decision, row.status, row.reason])).toEqual([
      ['101', 'allowed', 201, undefined],
      [undefined, 'refused', 401, REPLAY.body.error],
      ['102', 'allowed', 201, undefined]
    ])
  })

  test('the same token at both instances at once: exactly one mints', async () => {
    const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => issuer.sign()))
    const before = mints().length
    const replies = await Promise.all(
      tokens.map((token) =>
        Promise.all([first, second].map((b) => b.call('/v1/token', token, { policy: 'ci' })))
      )
    )
    for (const pair of replies) {
      expect(pair.map((reply) => reply.status).sort()).toEqual([201, 401])
      expect(pair).toContainEqual(REPLAY)
    }
    expect(mints().length).toBe(before + tokens.length)
  })

  test('the password reaches no log; a refused one is named by host and code', async () => {
    const wrong = database.replace(encodeURIComponent(postgres.password), 'not-the-password')
    const dir = brokerDir()
    const config = brokerConfig(fake, issuer, dir, POLICIES, { database: wrong })
    const run = await runCli(['serve', '--config', config, '--listen', '127.0.0.1:0'], {
      cwd: dir,
      fake
    })
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toContain(
      `The database could not be opened: PostgreSQL at 127.0.0.1:${postgres.port}: SQLSTATE 28P01 (the user or password was refused).`
    )
    expect(run.stderr).not.toContain('not-the-password')
    expectNoPasswordIn(first.log() + second.log() + JSON.stringify(await auditOf(first)))
  })
})

describe('broker on PostgreSQL: the database goes down', () => {
  test('503 and nothing minted while it is down; /healthz stays up; served again once it is back', async () => {
    await postgres.stop()
    try {
      const before = mints().length
      expect(await first.call('/v1/token', await issuer.sign(), { policy: 'ci' })).toEqual({
        status: 503,
        body: { error: 'the database is unavailable; nothing was minted' }
      })
      expect(mints().length).toBe(before)
      // Liveness only: every instance shares the database, so none would be better to send to.
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200)
      expect(first.log()).toContain(
        `Could not write the audit row (PostgreSQL at 127.0.0.1:${postgres.port}: `
      )
      const audit = await runCli(['audit', '--config', first.configPath], { cwd: first.dir, fake })
      expect(audit.exitCode).toBe(1)
      expect(audit.stderr).toContain(
        `The database could not be opened: PostgreSQL at 127.0.0.1:${postgres.port}: ECONNREFUSED.`
      )
      expectNoPasswordIn(first.log() + audit.stderr)
    } finally {
      await postgres.start()
    }
    const again = await first.call('/v1/token', await issuer.sign(), { policy: 'ci' })
    expect(again.status).toBe(201)
  })
})
