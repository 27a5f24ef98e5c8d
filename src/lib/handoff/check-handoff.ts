import type { MintRequest } from '../requests.js'
import type { Deps } from '../seam/deps.js'
import { configCountOf } from '../git/config-count-of.js'
import { originOf } from '../git/origin-of.js'
import { serverUrlFor } from './server-url.js'
import { planTokenFile } from './write-token-file.js'

/**
 * The hand-off checks that need the machine (paths, the environment), run after the inputs are
 * parsed and before anything is minted: a token file that could not be written, or git that
 * could not be configured, must not cost a token.
 */
export function checkHandoff(ctx: Pick<Deps, 'run'>, inputs: MintRequest): void {
  const { handoff } = inputs
  if (handoff.tokenFile) {
    planTokenFile(handoff.tokenFile, {
      runnerTemp: ctx.run.runnerTemp,
      workspace: ctx.run.workspace
    })
  }
  if (handoff.gitCredentials) {
    originOf(serverUrlFor(ctx.run, inputs.apiUrl), { name: 'The server URL' })
    configCountOf(ctx.run.environment ?? {})
  }
}
