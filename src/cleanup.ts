import { parsePostState } from './cleanup/parse-post-state.js'
import type { Context } from './context.js'
import { cleanupInstallationToken } from './installation/cleanup-installation-token.js'
import { cleanupRunner } from './runners/cleanup-runner.js'

/** The post step: undo what the main step minted. It warns, it never fails the job. */
export async function cleanup(ctx: Context): Promise<void> {
  const state = parsePostState(ctx)
  switch (state.kind) {
    case 'nothing':
      ctx.core.info('The main step minted no token, so there is nothing to revoke.')
      return
    case 'unusable':
      ctx.core.info(
        `The main step's saved state is not usable (${state.reason}), so nothing is sent to GitHub.`
      )
      return
    case 'installation-token':
      return cleanupInstallationToken(ctx, state)
    default:
      return cleanupRunner(ctx, state)
  }
}
