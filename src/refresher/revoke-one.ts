import { describeRequestError } from '../lib/transport/describe-request-error.js'
import type { RefreshDeps } from './refresh-loop-state.js'

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
