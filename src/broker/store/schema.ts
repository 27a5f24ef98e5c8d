/** The column types in which the two databases differ. */
export interface SqlTypes {
  /** A point in time: ISO text in SQLite, TIMESTAMPTZ in PostgreSQL. */
  time: string
  /** GitHub's ids (installations, runners). */
  id: string
  /** The audit row's own key, numbered by the database in insertion order. */
  rowId: string
}

/**
 * The broker's tables, one definition for both stores, so they keep the same tables and
 * columns. Lists and maps are JSON text; the audit's expires_at is GitHub's text as it came.
 */
export const schemaSql = ({ time, id, rowId }: SqlTypes) => `
CREATE TABLE IF NOT EXISTS seen_jti (
  issuer TEXT NOT NULL, jti TEXT NOT NULL, expires_at ${time} NOT NULL, PRIMARY KEY (issuer, jti));
CREATE INDEX IF NOT EXISTS seen_jti_expiry ON seen_jti (expires_at);
CREATE TABLE IF NOT EXISTS audit (
  id ${rowId}, time ${time} NOT NULL, route TEXT NOT NULL,
  decision TEXT NOT NULL, status INTEGER NOT NULL, reason TEXT, issuer TEXT, subject TEXT,
  repository TEXT, job_workflow_ref TEXT, run_id TEXT, actor TEXT, policy TEXT,
  installation_id ${id}, repositories TEXT, permissions TEXT, token_hash TEXT, expires_at TEXT,
  runner_id ${id}, runner_name TEXT);
CREATE INDEX IF NOT EXISTS audit_time ON audit (time);
CREATE TABLE IF NOT EXISTS runners (
  runner_id ${id} NOT NULL, owner TEXT NOT NULL, runner_name TEXT NOT NULL, repository TEXT,
  issuer TEXT NOT NULL, subject TEXT NOT NULL, policy TEXT NOT NULL, created_at ${time} NOT NULL,
  PRIMARY KEY (owner, runner_id));
`
