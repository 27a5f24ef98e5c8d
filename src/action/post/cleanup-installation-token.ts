import type { TokenState } from '../state/minted-state.js'
import type { ActionContext } from '../action-context.js'
import { describeRequestError } from '../../lib/transport/describe-request-error.js'
import { writeSummary } from '../publish/write-summary.js'
import { revokeInstallationToken } from '../../lib/installation/revoke-installation-token.js'

/**
 * Revokes the token main minted (state already checked, token masked), unless revocation is
 * off. It does not judge expiry itself: GitHub's clock does, and this step knows it from no
 * reply yet (a runner clock hours fast once skipped every revocation as "already expired").
 * The DELETE is sent whatever the state says, and GitHub's 401 for a token that has expired or
 * was revoked already is an outcome: one request, and no trust in a saved time or offset.
 */
export async function cleanupInstallationToken(
  ctx: ActionContext,
  state: TokenState
): Promise<void> {
  const { core } = ctx
  if (!state.revoke) {
    core.info(
      `Token revocation is disabled ('revoke: false'); the token expires at ${state.expiresAt}.`
    )
    return
  }
  let outcome: Awaited<ReturnType<typeof revokeInstallationToken>>
  try {
    outcome = await revokeInstallationToken(ctx, state.apiUrl, state.token)
  } catch (error) {
    core.warning(
      `Could not revoke the installation token (${describeRequestError(error)}). It expires on its own at ${state.expiresAt}.`
    )
    return
  }
  core.info(outcome === 'revoked' ? 'Revoked the installation token.' : ALREADY_GONE)
  if (state.summary)
    await writeSummary(core, {
      title: 'mint-token: cleanup',
      rows: [['Installation token', outcome === 'revoked' ? 'revoked' : 'already revoked']]
    })
}

const ALREADY_GONE =
  'GitHub answered HTTP 401: the installation token is already revoked or expired, so nothing is left to revoke.'
