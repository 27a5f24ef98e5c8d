import type { ActionContext } from '../action-context.js'
import type { CurrentToken } from './current-token.js'
import { cleanupInstallationToken } from './cleanup-installation-token.js'
import { writeSummary } from '../publish/write-summary.js'
import { neutralize } from '../../lib/text/neutralize.js'
import type { TokenState } from '../state/minted-state.js'

/**
 * Revokes the token the job holds at the end (see currentToken), or says why it cannot: the
 * refresher revoked it already, or it is out of reach (a warning: a live token is left, and its
 * hash lets the audit log show what it does until it expires).
 */
export async function revokeCurrentToken(
  ctx: ActionContext,
  state: TokenState,
  current: CurrentToken
): Promise<void> {
  if (current.kind === 'in hand') {
    const { token, expiresAt } = current
    return cleanupInstallationToken(ctx, { ...state, token, expiresAt })
  }
  // 'revoke: false' is said as ever, whatever became of the token.
  if (!state.revoke) return cleanupInstallationToken(ctx, state)
  let row: string
  if (current.kind === 'revoked by the refresher') {
    ctx.core.info(
      'The token refresher revoked the current token when the token file went away, so nothing is left to revoke.'
    )
    row = 'revoked by the token refresher (the token file was gone)'
  } else {
    ctx.core.warning(
      `Could not read the current token from the token file (${neutralize(current.why)}), so it is not revoked; it expires on its own at ${current.expiresAt}. Its hash for the audit log: ${current.hash}.`
    )
    row = `not revoked (out of reach), expires at ${current.expiresAt}`
  }
  if (state.summary)
    await writeSummary(ctx.core, {
      title: 'mint-token: cleanup',
      rows: [['Installation token', row]]
    })
}
