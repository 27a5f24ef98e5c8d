import type { ActionContext } from '../action-context.js'
import { describeRequestError } from '../../lib/transport/describe-request-error.js'
import { revokeInstallationToken } from '../../lib/installation/revoke-installation-token.js'
import { writeSummary } from '../publish/write-summary.js'
import { parseRevokeInputs } from '../inputs/parse-revoke-inputs.js'

/**
 * The revoke sub-action: revokes the given installation token now, in one request, authenticated
 * by the token itself. GitHub answers 401 for a token that has expired or was revoked already:
 * there is nothing left to do, which is not a failure.
 * https://docs.github.com/en/rest/apps/installations#revoke-an-installation-access-token
 */
export async function revokeGivenToken(ctx: ActionContext): Promise<void> {
  const { core } = ctx
  const inputs = parseRevokeInputs(ctx)
  const outcome = await revokeInstallationToken(ctx, inputs.apiUrl, inputs.token).catch(
    (error: unknown) => {
      throw new Error(`Could not revoke the token (${describeRequestError(error)}).`, {
        cause: error
      })
    }
  )
  if (outcome === 'already gone') {
    core.info('The token has already expired or been revoked (HTTP 401); nothing to revoke.')
    return
  }
  core.info('Revoked the installation token.')
  await writeSummary(core, {
    title: 'mint-token: revoke',
    rows: [['Installation token', 'revoked']]
  })
}
