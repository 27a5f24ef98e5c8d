import type { OwnerTokensState } from '../state/minted-state.js'
import type { ActionContext } from '../action-context.js'
import { describeRequestError } from '../../lib/transport/describe-request-error.js'
import { writeSummary } from '../publish/write-summary.js'
import { revokeInstallationToken } from '../../lib/installation/revoke-installation-token.js'

/**
 * Revokes every token 'owners' minted (state already checked, tokens masked), all at once: each
 * is one DELETE with itself, and one slow reply must not hold up the others. A failure is one
 * warning naming the owner; GitHub's 401 means already gone (see revokeInstallationToken).
 */
export async function cleanupOwnerTokens(
  ctx: ActionContext,
  state: OwnerTokensState
): Promise<void> {
  const { core } = ctx
  if (!state.revoke) {
    core.info(
      `Token revocation is disabled ('revoke: false'); the tokens expire by ${state.expiresAt} at the earliest.`
    )
    return
  }
  const outcomes = await Promise.allSettled(
    state.tokens.map(({ token }) => revokeInstallationToken(ctx, state.apiUrl, token))
  )
  const rows = outcomes.map((outcome, i): [string, string] => {
    const { owner } = state.tokens[i]!
    if (outcome.status === 'fulfilled') {
      core.info(
        outcome.value === 'revoked'
          ? `Revoked the token for '${owner}'.`
          : `GitHub answered HTTP 401 for the token of '${owner}': it is already revoked or expired.`
      )
      return [owner, outcome.value === 'revoked' ? 'revoked' : 'already revoked']
    }
    core.warning(
      `Could not revoke the token for '${owner}' (${describeRequestError(outcome.reason)}). It expires on its own within the hour.`
    )
    return [owner, 'not revoked (expires on its own)']
  })
  if (state.summary)
    await writeSummary(core, { title: 'mint-token: cleanup (installation tokens)', rows })
}
