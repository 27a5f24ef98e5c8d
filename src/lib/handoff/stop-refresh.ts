import type { Deps } from '../seam/deps.js'
import { readRefreshStatus, type RefreshSummary } from '../refresher-control/read-refresh-status.js'
import { stopRefresher } from '../refresher-control/stop-refresher.js'
import { TOKEN_FILE_GONE } from '../refresher-control/refresh-status.js'
import type { HandoffState } from './hand-off.js'

/** What the refresher left for the rest of the post step, and the summary rows about it. */
export interface StoppedRefresh {
  status?: RefreshSummary
  rows: [string, string][]
}

/** Why a refresher stopped by itself, as the post step says it. */
const STOPPED_BECAUSE: Record<string, string> = {
  [TOKEN_FILE_GONE]: ': the token file was deleted or replaced, so it revoked the current token',
  deadline: ': it reached its deadline'
}

/**
 * Stops the token refresher first, so that no new token appears after the post step read the
 * file, and reports what it did, with each token's hash for the audit log (the `token-hash`
 * output names the first token only).
 */
export async function stopRefresh(
  ctx: Pick<Deps, 'log'>,
  state: HandoffState
): Promise<StoppedRefresh> {
  if (!state.refresher) return { rows: [] }
  const outcome = await stopRefresher(state.refresher)
  const status = readRefreshStatus(state.refresher.statusFile)
  const because = STOPPED_BECAUSE[status.stopReason ?? ''] ?? ''
  const lines = {
    stopped: 'Stopped the token refresher.',
    'not running': `The token refresher had already stopped${because}.`,
    'not ours': `Left process ${state.refresher.pid} alone: it is not the token refresher this job started.`
  }
  ctx.log.info(lines[outcome])
  const failed =
    status.failures > 0
      ? `, ${status.failures} failed (last: ${status.lastError ?? 'unknown'})`
      : ''
  ctx.log.info(`The token was refreshed ${status.refreshes} time(s)${failed}.`)
  const rows: [string, string][] = [['Refreshes', `${status.refreshes}${failed}`]]
  if (status.tokenHashes.length > 0) {
    const hashes = status.tokenHashes.join(', ')
    ctx.log.info(`The tokens' hashes for the audit log (hashed_token), oldest first: ${hashes}.`)
    rows.push(['Token hashes (audit log), oldest first', hashes])
  }
  return { status, rows }
}
