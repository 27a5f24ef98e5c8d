import { neutralize } from '../text/neutralize.js'
import { decideRunner } from './decide-runner.js'
import { describeScope } from './describe-scope.js'
import { busyRunnerError, findExplicitRunner } from './find-explicit-runner.js'
import type { ExplicitRunner, PruneInputs, RunnerSelection } from './parse-prune-inputs.js'
import { pruneResult, type PruneResult, type PruneRow } from './prune-result.js'
import { recheckAndRemove, removeRunner, runnerRow, type Removal } from './remove-runner.js'
import { listRunners, type RunnersClient } from './runner-requests.js'

export interface PruneLogger {
  info(message: string): void
  warning(message: string): void
}

export interface PruneOptions {
  logger: PruneLogger
  now: () => number
}

/**
 * Removes the runners the inputs select (or the one they name), one log line per runner. A
 * missing permission, or a named runner that is missing or busy, is thrown; a failed DELETE is
 * a warning and a `failed` entry, and the caller fails the step at the end.
 */
export async function pruneRunners(
  github: RunnersClient,
  inputs: PruneInputs,
  { logger, now }: PruneOptions
): Promise<PruneResult> {
  const removal: Removal = { github, scope: inputs.scope, dryRun: inputs.dryRun }
  if (inputs.dryRun) logger.info('Dry run: nothing is removed.')
  const rows =
    inputs.kind === 'explicit'
      ? [await pruneExplicit(removal, inputs.runner, logger)]
      : await pruneSelection(removal, inputs.selection, { logger, now })
  const result = pruneResult(rows)
  logger.info(totals(result, inputs.dryRun))
  return result
}

async function pruneExplicit(
  removal: Removal,
  explicit: ExplicitRunner,
  logger: PruneLogger
): Promise<PruneRow> {
  const runner = await findExplicitRunner(removal.github, removal.scope, explicit)
  const input = explicit.by === 'id' ? 'runner-id' : 'runner-name'
  const row = await removeRunner(removal, runner, `named by '${input}' (${runner.status})`)
  // It took a job between the look and the DELETE: the same error as if it had been busy before.
  if (row.decision === 'kept') throw busyRunnerError(runner)
  logRow(logger, row)
  return row
}

async function pruneSelection(
  removal: Removal,
  selection: RunnerSelection,
  { logger, now }: PruneOptions
): Promise<PruneRow[]> {
  const listed = await listRunners(removal.github, removal.scope)
  const at = now()
  const decide = (runner: (typeof listed)[number]) => decideRunner(runner, selection, at)
  const matching = listed.filter((runner) => decide(runner).decision !== 'ignore')
  const others = listed.length - matching.length
  logger.info(
    `Listed ${listed.length} runner${listed.length === 1 ? '' : 's'} of ${describeScope(removal.scope)}: ${matching.length} match ${describeSelection(selection)}, ${others} others are left alone.`
  )
  const rows: PruneRow[] = []
  for (const runner of matching) {
    const first = decide(runner)
    const row =
      first.decision === 'remove'
        ? await recheckAndRemove(removal, runner, decide)
        : runnerRow(runner, 'kept', first.reason, first.ageMs)
    logRow(logger, row)
    rows.push(row)
  }
  return rows
}

function describeSelection({ prefix, labels }: RunnerSelection): string {
  const quoted = labels.map((l) => `'${neutralize(l)}'`).join(', ')
  return `prefix '${prefix}'${labels.length > 0 ? ` and labels ${quoted}` : ''}`
}

function logRow(logger: PruneLogger, row: PruneRow): void {
  // Names, statuses and error messages come from the network: no line of theirs may start a
  // workflow command.
  const runner = `${neutralize(row.name)} (id ${row.id})`
  const reason = neutralize(row.reason)
  if (row.decision !== 'failed') return logger.info(`${runner}: ${row.decision}, ${reason}.`)
  logger.warning(
    `${runner}: not removed, ${reason}. The other runners are still processed; the step fails at the end.`
  )
}

function totals(result: PruneResult, dryRun: boolean): string {
  const gone = result.considered.filter((r) => r.decision === 'already gone').length
  const parts = [
    `${dryRun ? 'would remove' : 'removed'} ${result.removed.length}`,
    `kept ${result.kept}`,
    ...(gone > 0 ? [`${gone} already gone`] : []),
    ...(result.failed.length > 0 ? [`${result.failed.length} failed`] : [])
  ]
  const line = parts.join(', ')
  return `${line.charAt(0).toUpperCase()}${line.slice(1)}.`
}
