import { inputField, type Field } from '../field.js'
import type { ExplicitRunner, PruneRequest, RunnerSelection } from '../requests.js'
import { neutralize } from '../text/neutralize.js'
import { decideRunner, type RunnerDecision } from './decide-runner.js'
import { describeScope } from '../runners/describe-scope.js'
import { formatAge } from './format-age.js'
import { busyRunnerError, findExplicitRunner } from './find-explicit-runner.js'
import { LIST_BUDGET_MS, pruneBudgetMs } from './prune-budget.js'
import {
  describeLeft,
  describeTotals,
  pruneResult,
  type PruneResult,
  type PruneRow
} from './prune-result.js'
import {
  LEFT_REASON,
  recheckAndRemove,
  removeRunner,
  runnerRow,
  type Removal
} from './remove-runner.js'
import { listRunners } from './prune-requests.js'
import type { GitHubRunner, RunnersClient } from '../runners/runner-requests.js'

export interface PruneLogger {
  info(message: string): void
  warning(message: string): void
}

export interface PruneOptions {
  logger: PruneLogger
  /** GitHub's clock (ages are GitHub's to judge: the runner's clock may be hours off). */
  now: () => number
  /**
   * A client with the same token and a budget of its own (see pruneBudgetMs); without it, every
   * request goes through `github` on its budget.
   */
  withBudget?: (budgetMs: number) => RunnersClient
  /** How the front end names the one runner's ID and name, for its messages (the inputs'). */
  explicitFields?: ExplicitFields
}

export interface ExplicitFields {
  id: Field
  name: Field
}

const EXPLICIT_INPUTS: ExplicitFields = {
  id: inputField('runner-id'),
  name: inputField('runner-name')
}

/**
 * Removes the runners the inputs select (or the one they name), one log line per runner. A
 * missing permission, or a named runner that is missing or busy, is thrown; a failed DELETE is
 * a warning and a `failed` entry, and the caller fails the step at the end.
 */
export async function pruneRunners(
  github: RunnersClient,
  inputs: PruneRequest,
  options: PruneOptions
): Promise<PruneResult> {
  const { logger } = options
  const removal: Removal = { github, scope: inputs.scope, dryRun: inputs.dryRun }
  if (inputs.dryRun) logger.info('Dry run: nothing is removed.')
  const rows =
    inputs.kind === 'explicit'
      ? [await pruneExplicit(removal, inputs.runner, options)]
      : await pruneSelection(removal, inputs.selection, options)
  const result = pruneResult(rows)
  const line = describeTotals(result, { dryRun: inputs.dryRun })
  logger.info(`${line.charAt(0).toUpperCase()}${line.slice(1)}.`)
  return result
}

async function pruneExplicit(
  removal: Removal,
  explicit: ExplicitRunner,
  { logger, explicitFields = EXPLICIT_INPUTS }: PruneOptions
): Promise<PruneRow> {
  const field = explicitFields[explicit.by]
  const runner = await findExplicitRunner(removal.github, removal.scope, explicit, field)
  const row = await removeRunner(removal, runner, `named by ${field.name} (${runner.status})`)
  // It took a job between the look and the DELETE: the same error as if it had been busy before.
  if (row.decision === 'busy at deletion') throw busyRunnerError(runner)
  // The workflow asked for this one runner: not removing it is this step's failure.
  if (row.decision === 'left for the next run') row.decision = 'failed'
  logRow(logger, row)
  return row
}

async function pruneSelection(
  removal: Removal,
  selection: RunnerSelection,
  { logger, now, withBudget = () => removal.github }: PruneOptions
): Promise<PruneRow[]> {
  const listed = await listRunners(withBudget(LIST_BUDGET_MS), removal.scope)
  const at = now()
  const decide = (runner: (typeof listed)[number]) => decideRunner(runner, selection, at)
  const matching = listed.filter((runner) => decide(runner).decision !== 'ignore')
  const others = listed.length - matching.length
  logger.info(
    `Listed ${listed.length} runner${listed.length === 1 ? '' : 's'} of ${describeScope(removal.scope)}: ${matching.length} match ${describeSelection(selection)}, ${others} others are left alone.`
  )
  const stale = matching.filter((runner) => decide(runner).decision === 'remove').length
  const budgetMs = pruneBudgetMs(stale)
  const rows = await removeStale(
    { ...removal, github: withBudget(budgetMs) },
    matching,
    decide,
    logger
  )
  const left = rows.filter((r) => r.decision === 'left for the next run').length
  if (left > 0)
    logger.warning(
      `The time for this prune ran out (${budgetMs / 1000} s for ${stale} stale runners): ${describeLeft(left)}. That is no failure: the next run removes them, and a more frequent schedule keeps up with a fleet this size.`
    )
  return rows
}

/** One row (and log line) per matching runner, in the list's order; stale ones are removed. */
async function removeStale(
  work: Removal,
  matching: GitHubRunner[],
  decide: (runner: GitHubRunner) => RunnerDecision,
  logger: PruneLogger
): Promise<PruneRow[]> {
  const rows: PruneRow[] = []
  let timeIsUp = false
  for (const runner of matching) {
    const first = decide(runner)
    // Once the time has run out, no request is sent: the rest is the next run's work.
    const row: PruneRow =
      first.decision !== 'remove'
        ? runnerRow(runner, 'kept', first.reason, first.ageMs)
        : timeIsUp
          ? runnerRow(runner, 'left for the next run', LEFT_REASON('its turn'), first.ageMs)
          : await recheckAndRemove(work, runner, decide)
    timeIsUp ||= row.decision === 'left for the next run'
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
  // The summary has a column for the age; the log line says it after the reason.
  const age = row.ageMs === undefined ? '' : ` (age ${formatAge(row.ageMs)})`
  if (row.decision !== 'failed') return logger.info(`${runner}: ${row.decision}, ${reason}${age}.`)
  logger.warning(
    `${runner}: not removed, ${reason}. The other runners are still processed; the step fails at the end.`
  )
}
