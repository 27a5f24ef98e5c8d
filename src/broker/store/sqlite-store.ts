import type { DatabaseSync } from 'node:sqlite'
import { InputError } from '../../lib/input-error.js'
import {
  AUDIT_COLUMNS,
  auditCells,
  auditRowOf,
  runnerRowOf,
  type BrokerStore,
  type RegisteredRunnerRow
} from './store.js'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS seen_jti (
  issuer TEXT NOT NULL, jti TEXT NOT NULL, expires_at TEXT NOT NULL, PRIMARY KEY (issuer, jti));
CREATE INDEX IF NOT EXISTS seen_jti_expiry ON seen_jti (expires_at);
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, route TEXT NOT NULL,
  decision TEXT NOT NULL, status INTEGER NOT NULL, reason TEXT, issuer TEXT, subject TEXT,
  repository TEXT, job_workflow_ref TEXT, run_id TEXT, actor TEXT, policy TEXT,
  installation_id INTEGER, repositories TEXT, permissions TEXT, token_hash TEXT, expires_at TEXT,
  runner_id INTEGER, runner_name TEXT);
CREATE INDEX IF NOT EXISTS audit_time ON audit (time);
CREATE TABLE IF NOT EXISTS runners (
  runner_id INTEGER NOT NULL, owner TEXT NOT NULL, runner_name TEXT NOT NULL, repository TEXT,
  issuer TEXT NOT NULL, subject TEXT NOT NULL, policy TEXT NOT NULL, created_at TEXT NOT NULL,
  PRIMARY KEY (owner, runner_id));
`

/**
 * The embedded default: one SQLite file through Node's built-in node:sqlite (Node 22.13 or
 * later), nothing to install. Loaded only when the broker starts, so the other commands still
 * run on Node 20. WAL mode lets `mint-token audit` read while the broker writes.
 */
export async function openSqliteStore(path: string, now: () => number): Promise<BrokerStore> {
  const { DatabaseSync } = await import('node:sqlite').catch(() => {
    throw new InputError(
      `database: sqlite: needs Node.js 22.13 or later (node:sqlite); this is Node.js ${process.versions.node}. Run the broker on a newer Node.js, or use database: postgres://….`
    )
  })
  const db: DatabaseSync = new DatabaseSync(path)
  db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;')
  db.exec(SCHEMA)
  const insertJti = db.prepare(
    'INSERT INTO seen_jti (issuer, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'
  )
  const dropExpired = db.prepare('DELETE FROM seen_jti WHERE expires_at < ?')
  const insertAudit = db.prepare(
    `INSERT INTO audit (${AUDIT_COLUMNS.join(', ')}) VALUES (${AUDIT_COLUMNS.map(() => '?').join(', ')})`
  )
  const selectAudit = db.prepare('SELECT * FROM audit WHERE time >= ? ORDER BY id')
  const insertRunner = db.prepare(
    `INSERT INTO runners (runner_id, owner, runner_name, repository, issuer, subject, policy, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
  )
  const selectRunners = db.prepare(
    'SELECT * FROM runners WHERE issuer = ? AND subject = ? ORDER BY created_at'
  )
  const selectAllRunners = db.prepare('SELECT * FROM runners ORDER BY created_at')
  const deleteRunner = db.prepare('DELETE FROM runners WHERE runner_id = ? AND owner = ?')
  return {
    claimJti: (issuer, jti, expiresAt) => {
      // A seen jti is kept until its token expires (plus the verifier's leeway): after that the
      // token itself is refused, so the row has nothing left to guard.
      dropExpired.run(new Date(now() - 120_000).toISOString())
      const leeway = new Date(expiresAt.getTime() + 120_000).toISOString()
      return Promise.resolve(insertJti.run(issuer, jti, leeway).changes === 1)
    },
    audit: (row) => {
      insertAudit.run(...auditCells(row))
      return Promise.resolve()
    },
    readAudit: (since) =>
      Promise.resolve(
        selectAudit.all(since.toISOString()).map((r) => auditRowOf(r as Record<string, unknown>))
      ),
    addRunner: (r: RegisteredRunnerRow) => {
      insertRunner.run(
        r.runnerId,
        r.owner,
        r.runnerName,
        r.repository ?? null,
        r.issuer,
        r.subject,
        r.policy,
        r.createdAt
      )
      return Promise.resolve()
    },
    listRunners: ({ issuer, subject }) =>
      Promise.resolve(
        selectRunners.all(issuer, subject).map((r) => runnerRowOf(r as Record<string, unknown>))
      ),
    allRunners: () =>
      Promise.resolve(selectAllRunners.all().map((r) => runnerRowOf(r as Record<string, unknown>))),
    removeRunner: (runnerId, owner) => {
      deleteRunner.run(runnerId, owner)
      return Promise.resolve()
    },
    close: () => {
      db.close()
      return Promise.resolve()
    }
  }
}
