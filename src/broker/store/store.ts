/**
 * What the broker keeps, behind one interface: SQLite in one file by default, PostgreSQL for
 * several instances behind a load balancer. Never a token, a key or a JIT configuration: the
 * audit trail keeps a token's hash, which GitHub's audit log shows too.
 */
export interface BrokerStore {
  /** Records a jti until `expiresAt`; false when it was already recorded (a replay). */
  claimJti(issuer: string, jti: string, expiresAt: Date): Promise<boolean>
  audit(row: AuditRow): Promise<void>
  /** Audit rows at or after `since`, oldest first. */
  readAudit(since: Date): Promise<AuditRow[]>
  addRunner(runner: RegisteredRunnerRow): Promise<void>
  /** The runners registered for one caller (issuer + subject). */
  listRunners(caller: { issuer: string; subject: string }): Promise<RegisteredRunnerRow[]>
  /** Every runner this broker registered (for the scheduled prune). */
  allRunners(): Promise<RegisteredRunnerRow[]>
  removeRunner(runnerId: number, owner: string): Promise<void>
  close(): Promise<void>
}

/**
 * A seen jti is kept this long after its token expires (beyond the verifier's leeway): after
 * that the token itself is refused, so the row has nothing left to guard.
 */
export const JTI_KEPT_AFTER_EXPIRY_MS = 120_000

/** One request to the broker, whatever its outcome. */
export interface AuditRow {
  time: string
  route: string
  /** allowed: something was minted or done; refused: 4xx; failed: GitHub or the broker (5xx). */
  decision: 'allowed' | 'refused' | 'failed'
  status: number
  reason?: string
  issuer?: string
  subject?: string
  repository?: string
  jobWorkflowRef?: string
  runId?: string
  actor?: string
  policy?: string
  installationId?: number
  repositories?: string[]
  permissions?: Record<string, string>
  tokenHash?: string
  expiresAt?: string
  runnerId?: number
  runnerName?: string
}

export interface RegisteredRunnerRow {
  runnerId: number
  runnerName: string
  owner: string
  /** A repository's runner; undefined for the organization's. */
  repository?: string
  issuer: string
  subject: string
  policy: string
  createdAt: string
}

/** The columns of an audit row, in the order both databases store them. */
export const AUDIT_COLUMNS = [
  'time',
  'route',
  'decision',
  'status',
  'reason',
  'issuer',
  'subject',
  'repository',
  'job_workflow_ref',
  'run_id',
  'actor',
  'policy',
  'installation_id',
  'repositories',
  'permissions',
  'token_hash',
  'expires_at',
  'runner_id',
  'runner_name'
] as const

type Cell = string | number | null

/** An audit row as database cells: lists and maps as JSON text. */
export function auditCells(row: AuditRow): Cell[] {
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value))
  return [
    row.time,
    row.route,
    row.decision,
    row.status,
    row.reason ?? null,
    row.issuer ?? null,
    row.subject ?? null,
    row.repository ?? null,
    row.jobWorkflowRef ?? null,
    row.runId ?? null,
    row.actor ?? null,
    row.policy ?? null,
    row.installationId ?? null,
    json(row.repositories),
    json(row.permissions),
    row.tokenHash ?? null,
    row.expiresAt ?? null,
    row.runnerId ?? null,
    row.runnerName ?? null
  ]
}

/** A text or number cell as text (both drivers return only those for these columns). */
const cellText = (cell: unknown) => (typeof cell === 'string' ? cell : JSON.stringify(cell))

/** A database row back into an audit row (time as ISO text whatever the column type). */
export function auditRowOf(cells: Record<string, unknown>): AuditRow {
  const text = (name: string) => (cells[name] == null ? undefined : cellText(cells[name]))
  const number = (name: string) => (cells[name] == null ? undefined : Number(cells[name]))
  const parsed = <T>(name: string) =>
    cells[name] == null ? undefined : (JSON.parse(cellText(cells[name])) as T)
  const time = cells.time instanceof Date ? cells.time.toISOString() : String(cells.time)
  const row: AuditRow = {
    time,
    route: String(cells.route),
    decision: String(cells.decision) as AuditRow['decision'],
    status: Number(cells.status),
    reason: text('reason'),
    issuer: text('issuer'),
    subject: text('subject'),
    repository: text('repository'),
    jobWorkflowRef: text('job_workflow_ref'),
    runId: text('run_id'),
    actor: text('actor'),
    policy: text('policy'),
    installationId: number('installation_id'),
    repositories: parsed<string[]>('repositories'),
    permissions: parsed<Record<string, string>>('permissions'),
    tokenHash: text('token_hash'),
    expiresAt: text('expires_at'),
    runnerId: number('runner_id'),
    runnerName: text('runner_name')
  }
  return Object.fromEntries(
    Object.entries(row).filter(([, value]) => value !== undefined)
  ) as unknown as AuditRow
}

/** The columns of a registered runner, in the order runnerCells gives them. */
export const RUNNER_COLUMNS = [
  'runner_id',
  'owner',
  'runner_name',
  'repository',
  'issuer',
  'subject',
  'policy',
  'created_at'
] as const

export function runnerCells(r: RegisteredRunnerRow): Cell[] {
  const { runnerId, owner, runnerName, repository, issuer, subject, policy, createdAt } = r
  return [runnerId, owner, runnerName, repository ?? null, issuer, subject, policy, createdAt]
}

export function runnerRowOf(cells: Record<string, unknown>): RegisteredRunnerRow {
  return {
    runnerId: Number(cells.runner_id),
    runnerName: String(cells.runner_name),
    owner: String(cells.owner),
    repository: cells.repository == null ? undefined : cellText(cells.repository),
    issuer: String(cells.issuer),
    subject: String(cells.subject),
    policy: String(cells.policy),
    createdAt:
      cells.created_at instanceof Date ? cells.created_at.toISOString() : String(cells.created_at)
  }
}

/** Thrown by the guarded store (see guardStore) when the database fails: the caller gets 503. */
export class DatabaseError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DatabaseError'
  }
}
