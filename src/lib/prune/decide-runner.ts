import type { RunnerSelection } from '../requests.js'
import { formatAge } from './format-age.js'
import { runnerCreatedAt } from './runner-created-at.js'

/** The fields of GitHub's runner object that the decision reads. */
export interface ListedRunner {
  id: number
  name: string
  status: string
  busy: boolean
  labels: ReadonlyArray<{ name: string }>
}

export interface RunnerDecision {
  /** 'ignore': not matched by prefix or labels, so neither kept nor removed, and not counted. */
  decision: 'remove' | 'keep' | 'ignore'
  reason: string
  /** Since the time in its generated name; undefined when the name carries none. */
  ageMs?: number
}

/**
 * Whether a scheduled prune removes this runner. Only an offline, idle runner is ever removed:
 * an online one may be about to take a job, a busy one is running one (even if it shows offline
 * while it reconnects). The age comes from the name, as the REST API gives no creation time.
 */
export function decideRunner(
  runner: ListedRunner,
  selection: RunnerSelection,
  now: number
): RunnerDecision {
  const { prefix, olderThanMs } = selection
  if (!runner.name.startsWith(prefix))
    return { decision: 'ignore', reason: `name does not start with '${prefix}'` }
  const has = new Set(runner.labels.map((l) => l.name.toLowerCase()))
  const missing = selection.labels.filter((l) => !has.has(l.toLowerCase()))
  if (missing.length > 0)
    return { decision: 'ignore', reason: `lacks label ${missing.map((l) => `'${l}'`).join(', ')}` }
  const createdAt = runnerCreatedAt(runner.name)
  // `now` is GitHub's clock, and so was the one that named the runner (see generateJitConfig):
  // a name from slightly ahead must not make the runner look older than it is.
  const ageMs = createdAt === undefined ? undefined : Math.max(0, now - createdAt)
  // The reason leaves the age out: the summary has a column for it, the log line adds it.
  if (runner.busy) return { decision: 'keep', reason: 'busy', ageMs }
  if (runner.status !== 'offline') return { decision: 'keep', reason: runner.status, ageMs }
  if (ageMs === undefined) {
    return selection.includeUnknownAge
      ? {
          decision: 'remove',
          reason: 'offline, age unknown (no timestamp in name; include-unknown-age)'
        }
      : { decision: 'keep', reason: 'age unknown (no timestamp in name)' }
  }
  const limit = formatAge(olderThanMs)
  return ageMs < olderThanMs
    ? { decision: 'keep', reason: `younger than ${limit}`, ageMs }
    : { decision: 'remove', reason: `offline and older than ${limit}`, ageMs }
}
