import { readFileSync } from 'node:fs'
import { cliField } from '../../lib/field.js'
import { parseOlderThan } from '../../lib/prune/parse-older-than.js'
import { neutralize } from '../../lib/text/neutralize.js'
import type { AuditRow } from '../../broker/store/store.js'
import { EXIT, UsageError } from '../seam/errors.js'
import type { Command } from './command.js'

/** `mint-token audit`: the broker's audit trail, from the database its config names. */
export const auditCommand: Command = {
  name: 'audit',
  summary: "Print the token broker's audit trail: one row per request.",
  usage: '--config broker.yaml [--since 24h | --since 2026-12-01T00:00:00Z] [--json]',
  flags: [
    { name: 'config', type: 'string', value: 'PATH', help: 'the broker configuration (YAML)' },
    {
      name: 'since',
      type: 'string',
      value: 'AGE|TIME',
      help: 'rows this recent (30m, 24h, 7d) or after this time (default 24h)'
    },
    { name: 'json', type: 'boolean', help: 'a JSON array on stdout instead of a table' }
  ],
  details: `Each row: time, route, decision (allowed, refused, failed), status, the reason of a refusal,
the caller (issuer, subject, repository, job_workflow_ref, run_id, actor), the policy, and what
was minted (installation, repositories, permissions, token_hash, expires_at, runner id and name).
No token is ever stored: token_hash is what GitHub's audit log shows for the token.`,
  run: async (values, _rest, ctx) => {
    const configPath = typeof values.config === 'string' ? values.config : ''
    if (!configPath)
      throw new UsageError('--config is missing; pass the broker configuration file.')
    const since = parseSince(
      typeof values.since === 'string' ? values.since : '24h',
      ctx.deps.now()
    )
    const { loadDatabaseSetting } = await import(
      /* webpackMode: "eager" */ '../../broker/config.js'
    )
    const { openStore } = await import(
      /* webpackMode: "eager" */ '../../broker/store/open-store.js'
    )
    const store = await openStore(
      loadDatabaseSetting(configPath, { readFile: (path) => readFileSync(path, 'utf8') }),
      ctx.deps.now
    )
    try {
      const rows = await store.readAudit(since)
      ctx.io.stdout.write(values.json ? `${JSON.stringify(rows.map(snakeCase))}\n` : table(rows))
    } finally {
      await store.close()
    }
    return EXIT.ok
  }
}

function parseSince(raw: string, now: number): Date {
  if (/^\d{4}-\d\d-\d\d/.test(raw)) {
    const time = new Date(raw)
    if (Number.isNaN(time.getTime()))
      throw new UsageError(`--since '${neutralize(raw, 50)}' is not a valid time.`)
    return time
  }
  return new Date(now - parseOlderThan(raw, cliField('--since')))
}

const SNAKE: Record<string, string> = {
  jobWorkflowRef: 'job_workflow_ref',
  runId: 'run_id',
  installationId: 'installation_id',
  tokenHash: 'token_hash',
  expiresAt: 'expires_at',
  runnerId: 'runner_id',
  runnerName: 'runner_name'
}

/** The JSON shape is the API's: snake_case, as GitHub's and the broker's replies. */
function snakeCase(row: AuditRow): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [SNAKE[key] ?? key, value]))
}

/** An aligned table; every cell is foreign text (claims, reasons) and neutralised. */
function table(rows: AuditRow[]): string {
  const header = ['time', 'decision', 'status', 'route', 'policy', 'caller', 'minted', 'reason']
  const cells = rows.map((row) =>
    [
      row.time,
      row.decision,
      String(row.status),
      row.route,
      row.policy ?? '',
      row.repository ?? row.subject ?? '',
      minted(row),
      row.reason ?? ''
    ].map((cell) => neutralize(cell, 120))
  )
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (cols: string[]) =>
    cols
      .map((c, i) => (i === cols.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(header), ...cells.map(line)].join('\n') + '\n'
}

function minted(row: AuditRow): string {
  if (row.runnerId !== undefined) return `runner ${row.runnerName ?? ''} (id ${row.runnerId})`
  if (row.tokenHash)
    return `token ${row.tokenHash.slice(0, 12)}… (${(row.repositories ?? ['all']).join(',')})`
  return ''
}
