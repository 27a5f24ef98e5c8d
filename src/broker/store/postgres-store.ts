import pg from 'pg'
import { describePostgresError, postgresTarget } from './postgres-target.js'
import { schemaSql } from './schema.js'
import {
  AUDIT_COLUMNS,
  auditCells,
  auditRowOf,
  JTI_KEPT_AFTER_EXPIRY_MS,
  RUNNER_COLUMNS,
  runnerCells,
  runnerRowOf,
  type BrokerStore
} from './store.js'

/**
 * SQLite's tables and columns in PostgreSQL's types: times TIMESTAMPTZ (written as ISO text, read
 * back as dates), GitHub's ids BIGINT.
 */
const SCHEMA = schemaSql({
  time: 'TIMESTAMPTZ',
  id: 'BIGINT',
  rowId: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY'
})

/**
 * Held while the tables are created: CREATE TABLE IF NOT EXISTS is not safe against itself
 * (two instances starting at once may both find no table, and one fails on the catalog's unique
 * index), so the instances take turns. Any constant shared by every broker: 'mint' in ASCII.
 */
const SCHEMA_LOCK = 0x6d696e74

/** INSERT INTO table (columns) VALUES ($1, $2, …): PostgreSQL numbers its parameters. */
const insertInto = (table: string, columns: readonly string[], suffix = '') =>
  `INSERT INTO ${table} (${columns.join(', ')})
   VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})${suffix}`
const INSERT_AUDIT = insertInto('audit', AUDIT_COLUMNS)
const INSERT_RUNNER = insertInto('runners', RUNNER_COLUMNS, ' ON CONFLICT DO NOTHING')

/**
 * Several brokers behind a load balancer share one PostgreSQL database: the replay cache (one
 * INSERT … ON CONFLICT DO NOTHING, so of two instances racing on a jti exactly one wins), the
 * audit trail and the runners. A small pool per instance; short timeouts, so a database that is
 * gone answers 503 within seconds instead of holding callers. Errors name the host and the code
 * (postgres-target.ts), never the URL, which may hold the password.
 */
export async function openPostgresStore(url: string, now: () => number): Promise<BrokerStore> {
  const target = postgresTarget(url)
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 10_000,
    query_timeout: 15_000,
    application_name: 'mint-token broker'
  })
  // An idle connection the server closed (a restart, a failover) is dropped by the pool; the
  // next query opens a new one, or fails and answers 503. Unhandled, it would end the process.
  pool.on('error', () => {})
  const query = async (text: string, values: unknown[] = []) => {
    try {
      return await pool.query<Record<string, unknown>>(text, values)
    } catch (error) {
      // Without the driver's error as cause: its message is the one text that could quote the URL.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(describePostgresError(error, target))
    }
  }
  try {
    await createSchema(pool)
  } catch (error) {
    await pool.end()
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`The database could not be opened: ${describePostgresError(error, target)}.`)
  }
  return storeOn(query, now, () => pool.end())
}

async function createSchema(pool: pg.Pool) {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK])
    await client.query(SCHEMA)
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}

type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult<Record<string, unknown>>>

function storeOn(query: Query, now: () => number, end: () => Promise<void>): BrokerStore {
  const iso = (ms: number) => new Date(ms).toISOString()
  return {
    claimJti: async (issuer, jti, expiresAt) => {
      await query('DELETE FROM seen_jti WHERE expires_at < $1', [
        iso(now() - JTI_KEPT_AFTER_EXPIRY_MS)
      ])
      const inserted = await query(
        'INSERT INTO seen_jti (issuer, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [issuer, jti, iso(expiresAt.getTime() + JTI_KEPT_AFTER_EXPIRY_MS)]
      )
      return inserted.rowCount === 1
    },
    audit: async (row) => {
      await query(INSERT_AUDIT, auditCells(row))
    },
    readAudit: async (since) =>
      (
        await query('SELECT * FROM audit WHERE time >= $1 ORDER BY id', [since.toISOString()])
      ).rows.map(auditRowOf),
    addRunner: async (r) => {
      await query(INSERT_RUNNER, runnerCells(r))
    },
    listRunners: async ({ issuer, subject }) =>
      (
        await query(
          'SELECT * FROM runners WHERE issuer = $1 AND subject = $2 ORDER BY created_at, runner_id',
          [issuer, subject]
        )
      ).rows.map(runnerRowOf),
    allRunners: async () =>
      (await query('SELECT * FROM runners ORDER BY created_at, runner_id')).rows.map(runnerRowOf),
    removeRunner: async (runnerId, owner) => {
      await query('DELETE FROM runners WHERE runner_id = $1 AND owner = $2', [runnerId, owner])
    },
    close: end
  }
}
