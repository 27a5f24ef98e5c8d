import type { InstallationToken } from '../lib/installation/create-installation-token.js'
import type { StopReason } from '../lib/refresher-control/refresh-status.js'
import { LATE_MINT_WAIT_MS, SHUTDOWN_REVOKE_MS } from '../lib/refresher-control/stop-budget.js'
import { describeRequestError } from '../lib/transport/describe-request-error.js'
import { attemptAt, refreshDueAt } from './schedule.js'
import { refreshOnce, type CurrentToken, type RefreshDeps, type RefreshLoopState } from './turn.js'

/**
 * Refreshes the token until the signal aborts: sleeps until the next refresh or revocation is
 * due, does what is due, and repeats. Then it shuts down (see shutDown). Every time is GitHub's
 * (deps.time.server), and no two mints start less than a minute apart (see attemptAt).
 */
export async function runRefreshLoop(deps: RefreshDeps, current: CurrentToken): Promise<void> {
  const loop: RefreshLoopState = {
    current,
    pending: [],
    failures: 0,
    nextAttemptAt: refreshDueAt(current)
  }
  const { time } = deps
  while (!deps.signal.aborted) {
    const wake = Math.min(attemptAt(loop, time), ...loop.pending.map((p) => p.revokeAt))
    await time.sleepUntil(wake, deps.signal)
    if (deps.signal.aborted) break
    const due = loop.pending.filter((p) => p.revokeAt <= time.server.now())
    loop.pending = loop.pending.filter((p) => !due.includes(p))
    for (const { token } of due)
      await revokeOne(deps, token, { stopping: false, what: 'the replaced token' })
    if (time.server.now() >= attemptAt(loop, time)) await refreshOnce(deps, loop)
  }
  await shutDown(deps, loop)
}

/**
 * Revokes, in parallel and within a few seconds, every token no one should use any more: the
 * replaced ones still in their grace, one minted while the stop came (it never reached the
 * file), and the current one too when the runner's worker is gone (the job is over and no post
 * step will run) or the token file is (no one can read the token from it, and the post step
 * cannot find it). Else, on SIGTERM the current token is the post step's to revoke; at the
 * deadline it is left to expire, as a self-hosted job may still be using it. A mint under way
 * is waited for to its end (it is bounded, see stop-budget.ts), so whatever it returns is
 * revoked before the post step's SIGKILL could come.
 */
async function shutDown(deps: RefreshDeps, loop: RefreshLoopState): Promise<void> {
  const reason = deps.signal.reason as StopReason
  deps.log.info(`Stopping (${reason}).`)
  deps.status.update(() => ({ state: 'stopping', stopReason: reason }))
  const revoke = (token: string, what: string) => revokeOne(deps, token, { stopping: true, what })
  const revokeLate = async (attempt: Promise<InstallationToken>) => {
    const late = await within(
      deps,
      attempt.catch(() => undefined),
      LATE_MINT_WAIT_MS
    )
    if (late) await revoke(late.token, 'the token minted while stopping')
  }
  const revocations = [
    ...loop.pending.map(({ token }) => revoke(token, 'the replaced token')),
    ...(loop.inFlight ? [revokeLate(loop.inFlight)] : []),
    ...(reason === 'parent gone' || deps.tokenFile.isGone() ? [revokeCurrent(deps, loop)] : [])
  ]
  const budget = (loop.inFlight ? LATE_MINT_WAIT_MS : 0) + SHUTDOWN_REVOKE_MS
  await within(deps, Promise.all(revocations), budget)
  deps.status.update(() => ({ state: 'stopped', stopReason: reason }))
}

/** The post step reads that it was revoked, instead of looking for it in a file that is gone. */
async function revokeCurrent(deps: RefreshDeps, loop: RefreshLoopState): Promise<void> {
  const what = 'the current token'
  if (await revokeOne(deps, loop.current.token, { stopping: true, what }))
    deps.status.update((s) => ({ current: s.current && { ...s.current, revoked: true } }))
}

/** What the work gives within `ms` on the refresher's clock, or undefined; the timer is cleared. */
async function within<T>(deps: RefreshDeps, work: Promise<T>, ms: number): Promise<T | undefined> {
  const done = new AbortController()
  try {
    return await Promise.race([work, deps.time.sleep(ms, done.signal).then(() => undefined)])
  } finally {
    done.abort()
  }
}

/**
 * Revokes one token the refresher holds and records the outcome. A revocation that fails is not
 * retried: the token expires by itself within the hour, and the failure is in the status file.
 * Returns whether GitHub no longer accepts the token (revoked now, or gone already).
 */
export async function revokeOne(
  deps: Pick<RefreshDeps, 'requests' | 'log' | 'status'>,
  token: string,
  options: { stopping: boolean; what: string }
): Promise<boolean> {
  try {
    const outcome = await deps.requests.revoke(token, { stopping: options.stopping })
    deps.log.info(
      outcome === 'revoked'
        ? `Revoked ${options.what}.`
        : `Nothing to revoke: ${options.what} had expired or was revoked already (HTTP 401).`
    )
    deps.status.update((s) => ({ revocations: s.revocations + 1 }))
    return true
  } catch (error) {
    const reason = deps.log.clean(describeRequestError(error))
    deps.log.warning(`Could not revoke ${options.what} (${reason}); it expires by itself.`)
    deps.status.update((s) => ({ revocationFailures: s.revocationFailures + 1 }))
    return false
  }
}
