import { tokenHash } from '../lib/installation/token-hash.js'
import type { InstallationToken } from '../lib/installation/create-installation-token.js'
import type { FileIdentity } from '../lib/refresher-control/token-file-identity.js'
import { describeRequestError, wasAnswered } from '../lib/transport/describe-request-error.js'
import type { QuietLog } from './status.js'
import type { RefresherRequests } from './requests.js'
import type { StatusRecorder } from './status.js'
import type { RefreshTime } from './time.js'
import type { TokenFileGuard } from './token-file.js'
import type { RefresherConfig } from '../lib/refresher-control/refresher-config.js'
import { nextRetryAt, refreshDueAt, revokeAtFor } from './schedule.js'

/** What the refresh loop works with; none of it changes while it runs. */
export interface RefreshDeps {
  config: RefresherConfig
  /** Mint and revoke, on GitHub (the key is inside). */
  requests: RefresherRequests
  /** GitHub's clock for schedules and expiry, the runner's monotonic one for the floor. */
  time: RefreshTime
  log: QuietLog
  status: StatusRecorder
  /** The token file, replaced at each refresh: a file put in its place is never written. */
  tokenFile: TokenFileGuard
  signal: AbortSignal
}

/** The token in the file, in ms since the epoch on GitHub's clock. */
export interface CurrentToken {
  token: string
  mintedAt: number
  expiresAt: number
}

/** What the loop remembers between its turns. */
export interface RefreshLoopState {
  current: CurrentToken
  /** Replaced tokens, each revoked at its time (see revokeAtFor). */
  pending: { token: string; revokeAt: number }[]
  /** Refreshes failed in a row, for the back-off. */
  failures: number
  /** GitHub's time when the next refresh is due (the floor may hold it back: see attemptAt). */
  nextAttemptAt: number
  /** When (monotonic) the last attempt that minted, or may have, started. */
  lastMintAt?: number
  /** A mint still under way when the stop came: its token never reaches the file. */
  inFlight?: Promise<InstallationToken>
}

/**
 * One refresh: mint, then swap the token in the file and schedule the old one's revocation. A
 * failure leaves the old token in the file and schedules a retry. A token file that is gone
 * (deleted, or another file put there) stops the loop instead (see guardTokenFile). A stop that
 * comes while the mint is under way ends the turn at once; the mint is left to the shutdown.
 */
export async function refreshOnce(deps: RefreshDeps, loop: RefreshLoopState): Promise<void> {
  // A token file deleted since the last look: no token is minted that no one could read.
  if (deps.tokenFile.stopIfGone()) return
  const startedAt = deps.time.monotonic()
  const attempt = deps.requests.mint()
  if ((await settledOrAborted(attempt, deps.signal)) === 'aborted') {
    loop.inFlight = attempt
    return
  }
  let minted: InstallationToken
  try {
    minted = await attempt
  } catch (error) {
    // An answer is GitHub's refusal: nothing was minted. A lost reply may have minted a token.
    if (!wasAnswered(error)) loop.lastMintAt = startedAt
    return fail(deps, loop, error)
  }
  loop.lastMintAt = startedAt
  let file: FileIdentity
  try {
    file = deps.tokenFile.replace(minted.token)
  } catch (error) {
    // A token minted but not written is handed to no one: revoke it now.
    loop.pending.push({ token: minted.token, revokeAt: 0 })
    return fail(deps, loop, error)
  }
  swap(deps, loop, minted, file)
}

/** The new token is in the file: it becomes the current one, the old one is due for revocation. */
function swap(
  deps: RefreshDeps,
  loop: RefreshLoopState,
  minted: InstallationToken,
  file: FileIdentity
): void {
  // GitHub's time, as `expires_at` is: this reply's Date header has just updated it.
  const now = deps.time.server.now()
  const old = loop.current
  loop.current = { token: minted.token, mintedAt: now, expiresAt: Date.parse(minted.expiresAt) }
  loop.pending.push({ token: old.token, revokeAt: revokeAtFor(now, old.expiresAt) })
  loop.failures = 0
  loop.nextAttemptAt = refreshDueAt(loop.current)
  deps.log.info(`Refreshed the token; the new one expires at ${minted.expiresAt}.`)
  const hash = tokenHash(minted.token)
  deps.status.update((s) => ({
    refreshes: s.refreshes + 1,
    expiresAt: minted.expiresAt,
    tokenHashes: [...s.tokenHashes, hash],
    current: { hash, ...file }
  }))
}

function fail(deps: RefreshDeps, loop: RefreshLoopState, error: unknown): void {
  loop.failures += 1
  loop.nextAttemptAt = nextRetryAt(loop.failures, deps.time.server.now(), loop.current.expiresAt)
  const reason = deps.log.clean(describeRequestError(error))
  const next = new Date(loop.nextAttemptAt).toISOString()
  deps.log.warning(`Refresh failed (${reason}); the current token stays, next try at ${next}.`)
  deps.status.update((s) => ({ failures: s.failures + 1, lastError: reason }))
}

async function settledOrAborted(
  attempt: Promise<unknown>,
  signal: AbortSignal
): Promise<'settled' | 'aborted'> {
  if (signal.aborted) return 'aborted'
  let onAbort = () => {}
  const aborted = new Promise<'aborted'>((resolve) => (onAbort = () => resolve('aborted')))
  signal.addEventListener('abort', onAbort, { once: true })
  const settled = attempt.then(
    () => 'settled' as const,
    () => 'settled' as const
  )
  try {
    return await Promise.race([settled, aborted])
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}
