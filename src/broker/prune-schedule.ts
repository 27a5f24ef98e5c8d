import type { Log } from '../lib/log.js'
import { decideRunner } from '../lib/prune/decide-runner.js'
import { formatAge } from '../lib/prune/format-age.js'
import { deleteRunner, getRunner } from '../lib/runners/runner-requests.js'
import { neutralize } from '../lib/text/neutralize.js'
import { describeRequestError, httpStatus } from '../lib/transport/describe-request-error.js'
import { auditRow, type RouteContext } from './routes.js'
import { scopeOf, withAdmin } from './runner-routes.js'
import type { RegisteredRunnerRow } from './store/store.js'

/**
 * `prune: {every, older-than}`: the offline runners this broker registered, removed by the
 * prune-runners rules (offline, idle, older than the limit on GitHub's clock; never a busy or
 * online one), once at start and then on the schedule, each removal in the audit trail. Only
 * runners in the broker's own records are ever looked at. A run is skipped while one is going.
 */
export function schedulePrune(
  contextFor: () => RouteContext,
  settings: { everyMs: number; olderThanMs: number },
  log: Log
): { stop(): void } {
  let running = false
  const run = () => {
    if (running) return
    running = true
    void pruneOnce(contextFor(), settings.olderThanMs, log)
      .catch((error: unknown) =>
        log.warning(
          `The scheduled prune failed (${describeRequestError(error)}); it runs again in ${formatAge(settings.everyMs)}.`
        )
      )
      .finally(() => (running = false))
  }
  run()
  const timer = setInterval(run, settings.everyMs)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}

export async function pruneOnce(ctx: RouteContext, olderThanMs: number, log: Log): Promise<void> {
  const byScope = new Map<string, RegisteredRunnerRow[]>()
  for (const row of await ctx.store.allRunners()) {
    const key = JSON.stringify(scopeOf(row))
    byScope.set(key, [...(byScope.get(key) ?? []), row])
  }
  for (const rows of byScope.values()) {
    // One intermediate token per organization or repository, revoked after its runners.
    await withAdmin(ctx, rows[0]!, async (github) => {
      for (const row of rows) {
        const runner = await getRunner(github, scopeOf(row), row.runnerId)
        if (!runner) {
          await ctx.store.removeRunner(row.runnerId, row.owner)
          continue
        }
        const now = ctx.deps.github.clock.now()
        const selection = { prefix: '', labels: [], olderThanMs, includeUnknownAge: false }
        let { decision, reason } = decideRunner(runner, selection, now)
        // A name the caller chose carries no time: the age is the broker's record of it.
        if (reason.startsWith('age unknown') && now - Date.parse(row.createdAt) >= olderThanMs) {
          decision = 'remove'
          reason = `offline and older than ${formatAge(olderThanMs)}`
        }
        if (decision !== 'remove') continue
        try {
          await deleteRunner(github, scopeOf(row), row.runnerId)
        } catch (error) {
          // Taken by a job between the look and the DELETE: kept, as prune-runners does.
          if (httpStatus(error) === 422) continue
          throw error
        }
        await ctx.store.removeRunner(row.runnerId, row.owner)
        const claims = { iss: row.issuer, sub: row.subject }
        const audit = {
          policy: row.policy,
          runnerId: row.runnerId,
          runnerName: row.runnerName,
          reason
        }
        await ctx.store.audit(auditRow(claims, 'prune', 200, 'allowed', audit, ctx.deps.now()))
        log.info(`Pruned runner ${neutralize(row.runnerName)} (id ${row.runnerId}): ${reason}.`)
      }
    })
  }
}
