import { mintCredential, type Publisher } from '../../lib/mint/mint-credential.js'
import type { ActionContext } from '../action-context.js'
import { parseInputs } from '../inputs/parse-inputs.js'
import { parseOwnersInputs } from '../inputs/parse-owners-inputs.js'
import { mintForOwners } from '../../lib/mint/mint-for-owners.js'
import { ownersPublisher } from '../publish/publish-owner-tokens.js'
import { saveState } from '../state/post-state.js'
import {
  publishInstallationToken,
  publishRevocationState
} from '../publish/publish-installation-token.js'
import {
  publishJitConfig,
  publishRegistrationToken,
  publishRunnerState
} from '../publish/publish-runner-credential.js'

/**
 * The main step: validate every input, then mint, hand off and publish (mintCredential). If
 * anything fails after minting, what was minted is revoked (or removed) and nothing is left behind.
 */
export async function mint(ctx: ActionContext): Promise<void> {
  const owners = parseOwnersInputs(ctx)
  if (owners) return mintForOwners(ctx, owners, ownersPublisher(ctx, owners))
  await mintCredential(ctx, parseInputs(ctx), publisherFor(ctx))
}

/** The runner's side of each credential: outputs, state for the post step, the summary. */
function publisherFor(ctx: ActionContext): Publisher {
  return {
    tokenMinted: (request, minted) => publishRevocationState(ctx, request, minted),
    token: (request, minted, extras) => publishInstallationToken(ctx, request, minted, extras),
    registrationToken: (request, minted, handedOff) =>
      publishRegistrationToken(ctx, request, minted, handedOff),
    runnerRegistered: (request, jit) => publishRunnerState(ctx, request, jit),
    jitConfig: (request, jit, handedOff) => publishJitConfig(ctx, request, jit, handedOff),
    // Main undid what it minted, so the post step does not undo it again.
    markUndone: (by) => saveState(ctx.core, { undone: by })
  }
}
