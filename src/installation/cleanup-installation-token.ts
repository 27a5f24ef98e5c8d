import type { Context } from '../context.js'
import { describeRequestError } from '../github/describe-request-error.js'
import { writeSummary } from '../outputs/write-summary.js'
import type { RevocationState } from './publish-installation-token.js'
import { revokeInstallationToken } from './revoke-installation-token.js'

/** Revokes the token main minted, unless there is a reason not to; each reason is one info line. */
export async function cleanupInstallationToken(ctx: Context): Promise<void> {
  const { core } = ctx
  const token = core.getState('token')
  const raw = core.getState('revocation')
  if (!token || !raw) {
    core.info('The main step minted no token, so there is nothing to revoke.')
    return
  }
  core.setSecret(token)
  const state = JSON.parse(raw) as RevocationState
  if (!state.revoke) {
    core.info(
      `Token revocation is disabled ('revoke: false'); the token expires at ${state.expiresAt}.`
    )
    return
  }
  if (Date.parse(state.expiresAt) <= ctx.now()) {
    core.info(`The token already expired at ${state.expiresAt}, so there is nothing to revoke.`)
    return
  }
  try {
    await revokeInstallationToken(ctx, state.apiUrl, token)
  } catch (error) {
    core.warning(
      `Could not revoke the installation token (${describeRequestError(error)}). It expires on its own at ${state.expiresAt}.`
    )
    return
  }
  core.info('Revoked the installation token.')
  if (state.summary)
    await writeSummary(core, {
      title: 'mint-token: cleanup',
      rows: [['Installation token', 'revoked']]
    })
}
