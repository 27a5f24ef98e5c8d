import type { RunnerScope } from '../requests.js'
import { isBudgetSpent } from '../transport/create-bounded-fetch.js'
import { describeRequestError, httpStatus } from '../transport/describe-request-error.js'
import type { RunnerDecision } from './decide-runner.js'
import type { PruneDecision, PruneRow } from './prune-result.js'
import { RunnerPermissionError } from '../runners/runner-permission-error.js'
import { deleteRunner, getRunner } from './prune-requests.js'
import type { GitHubRunner, RunnersClient } from '../runners/runner-requests.js'

export interface Removal {
  github: RunnersClient
  scope: RunnerScope
  dryRun: boolean
}

export function runnerRow(
  runner: GitHubRunner,
  decision: PruneDecision,
  reason: string,
  ageMs?: number
): PruneRow {
  const { id, name, status, busy } = runner
  const labels = runner.labels.map((l) => l.name)
  return {
    id,
    name,
    status,
    busy,
    labels,
    ...(ageMs === undefined ? {} : { ageMs }),
    decision,
    reason
  }
}

/** Stale, but the prune's time ran out before `what` (see pruneBudgetMs): the next run's work. */
export const LEFT_REASON = (what: string) => `the time for this prune ran out before ${what}`

/**
 * Deletes the runner and says how that went. Only a missing permission is thrown: any other
 * failure is this runner's row, so that the others are still processed.
 */
export async function removeRunner(
  { github, scope, dryRun }: Removal,
  runner: GitHubRunner,
  reason: string,
  ageMs?: number
): Promise<PruneRow> {
  const row = (decision: PruneDecision, why: string) => runnerRow(runner, decision, why, ageMs)
  if (dryRun) return row('would remove', `${reason} (dry run)`)
  try {
    const outcome = await deleteRunner(github, scope, runner.id)
    return outcome === 'deleted'
      ? row('removed', reason)
      : row('already gone', 'removed elsewhere since the list (its DELETE answered 404)')
  } catch (error) {
    if (error instanceof RunnerPermissionError) throw error
    // GitHub's answer for a runner that took a job after our last look: it stays, rightly.
    if (httpStatus(error) === 422)
      return row(
        'busy at deletion',
        'it took a job since the check: GitHub refused the DELETE (HTTP 422)'
      )
    // Sent but unanswered when the time ran out: the next run sees whether it is gone.
    if (isBudgetSpent(error))
      return row('left for the next run', LEFT_REASON('its DELETE was answered'))
    return row('failed', describeRequestError(error))
  }
}

/**
 * Looks at the runner again right before its DELETE, since minutes can pass between the list and
 * here on a large fleet: one that came online or took a job since is kept. A dry run does not look
 * again; it reports what the list showed.
 */
export async function recheckAndRemove(
  removal: Removal,
  listed: GitHubRunner,
  decide: (runner: GitHubRunner) => RunnerDecision
): Promise<PruneRow> {
  const first = decide(listed)
  if (removal.dryRun) return removeRunner(removal, listed, first.reason, first.ageMs)
  let fresh: GitHubRunner | undefined
  try {
    fresh = await getRunner(removal.github, removal.scope, listed.id)
  } catch (error) {
    if (error instanceof RunnerPermissionError) throw error
    const [decision, reason]: [PruneDecision, string] = isBudgetSpent(error)
      ? ['left for the next run', LEFT_REASON('the check before its DELETE')]
      : ['failed', `could not look at it again: ${describeRequestError(error)}`]
    return runnerRow(listed, decision, reason, first.ageMs)
  }
  if (!fresh) {
    const reason = 'removed elsewhere since the list (404 at the check before its DELETE)'
    return runnerRow(listed, 'already gone', reason, first.ageMs)
  }
  const again = decide(fresh)
  if (again.decision !== 'remove')
    return runnerRow(
      fresh,
      'kept',
      `${again.reason}, seen at the check before its DELETE`,
      again.ageMs
    )
  return removeRunner(removal, fresh, again.reason, again.ageMs)
}
