import type { DatabaseSync } from 'node:sqlite'
import { InputError } from '../../lib/input-error.js'
import { schemaSql } from './schema.js'
import {
  AUDIT_COLUMNS,
  auditCells,
  auditRowOf,
  JTI_KEPT_AFTER_EXPIRY_MS,
  RUNNER_COLUMNS,
  runnerCells,
  runnerRowOf,
  type BrokerStore,
  type RegisteredRunnerRow
} from './store.js'

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
  db.exec(schemaSql({ time: 'TEXT', id: 'INTEGER', rowId: 'INTEGER PRIMARY KEY AUTOINCREMENT' }))
  const insertJti = db.prepare(
    'INSERT INTO seen_jti (issuer, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'
  )
  const dropExpired = db.prepare('DELETE FROM seen_jti WHERE expires_at < ?')
  const insertAudit = db.prepare(
    `INSERT INTO audit (${AUDIT_COLUMNS.join(', ')}) VALUES (${AUDIT_COLUMNS.map(() => '?').join(', ')})`
  )
  const selectAudit = db.prepare('SELECT * FROM audit WHERE time >= ? ORDER BY id')
  const insertRunner = db.prepare(
    `INSERT INTO runners (${RUNNER_COLUMNS.join(', ')})
     VALUES (${RUNNER_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`
  )
  const selectRunners = db.prepare(
    'SELECT * FROM runners WHERE issuer = ? AND subject = ? ORDER BY created_at'
  )
  const selectAllRunners = db.prepare('SELECT * FROM runners ORDER BY created_at')
  const deleteRunner = db.prepare('DELETE FROM runners WHERE runner_id = ? AND owner = ?')
  return {
    claimJti: (issuer, jti, expiresAt) => {
      dropExpired.run(new Date(now() - JTI_KEPT_AFTER_EXPIRY_MS).toISOString())
      const leeway = new Date(expiresAt.getTime() + JTI_KEPT_AFTER_EXPIRY_MS).toISOString()
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
      insertRunner.run(...runnerCells(r))
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
