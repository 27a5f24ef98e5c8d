/**
 * How long a scheduled prune may spend on its fleet. The step's 25-second budget (HttpSettings)
 * suits a handful of requests, not hundreds of runners at two requests each (the fresh GET, the
 * DELETE), so a prune has budgets of its own, sized to what it has to do; each attempt keeps the
 * step's timeout. What a budget does not cover is left for the next scheduled run, not failed.
 */

/**
 * Per stale runner: its two requests take ~0.3 s each on GitHub; 2 s leaves room for a retry or
 * a short rate-limit wait now and then, and the slack of fast runners is shared by slow ones.
 */
const PER_RUNNER_MS = 2_000

/** Never less than any step gets: a few stale runners still have room for a retry. */
const FLOOR_MS = 25_000

/**
 * Well below a job's timeout (360 min by default; maintenance jobs often set 15 or 30): the job
 * must end on its own, with its summary written, so that a cancelled job never hides what was
 * done. 300 runners fit at the allowance above, and about a thousand at GitHub's usual pace.
 */
const CAP_MS = 10 * 60_000

/** The list of up to 10,000 runners: 100 pages at ~0.5 s each, with room for retries. */
export const LIST_BUDGET_MS = 2 * 60_000

/** The time for removing `staleRunners` runners. */
export function pruneBudgetMs(staleRunners: number): number {
  return Math.min(CAP_MS, Math.max(FLOOR_MS, staleRunners * PER_RUNNER_MS))
}
