import type { InstallationRequest } from '../../lib/requests.js'
import type { ActionContext } from '../action-context.js'
import { fetchBotIdentity } from '../../lib/installation/fetch-bot-identity.js'
import { fetchRateLimit } from '../../lib/installation/fetch-rate-limit.js'
import { checkHandoff } from '../../lib/handoff/check-handoff.js'
import { handOff, type HandoffRequest, type Undo } from '../../lib/handoff/hand-off.js'
import { serverUrlFor } from '../../lib/handoff/server-url.js'
import { withRollback } from '../../lib/handoff/with-rollback.js'
import {
  createInstallationToken,
  type InstallationToken
} from '../../lib/installation/create-installation-token.js'
import {
  publishInstallationToken,
  publishRevocationState
} from '../publish/publish-installation-token.js'
import { revokeInstallationToken } from '../../lib/installation/revoke-installation-token.js'
import { parseInputs } from '../inputs/parse-inputs.js'
import { createJitRunner } from '../../lib/runners/create-jit-runner.js'
import { createRegistrationToken } from '../../lib/runners/create-registration-token.js'
import {
  publishJitConfig,
  publishRegistrationToken,
  publishRunnerState
} from '../publish/publish-runner-credential.js'
import { removeJitRunner } from '../../lib/runners/remove-jit-runner.js'

/**
 * The main step: validate every input, mint, hand the credential off, then publish. If anything
 * fails after minting, what was minted is revoked (or removed) and nothing is left behind.
 */
export async function mint(ctx: ActionContext): Promise<void> {
  const inputs = parseInputs(ctx)
  checkHandoff(ctx, inputs)
  switch (inputs.tokenType) {
    case 'installation':
      return mintInstallationToken(ctx, inputs)
    case 'runner-registration': {
      const minted = await createRegistrationToken(ctx, inputs)
      ctx.core.setSecret(minted.token)
      const request = { inputs: inputs.handoff, secret: minted.token, apiUrl: inputs.apiUrl }
      // A registration token can't be revoked: undoing is removing what was set up.
      return withRollback(
        ctx,
        [],
        async (undo) =>
          publishRegistrationToken(ctx, inputs, minted, await handOff(ctx, request, undo)),
        undoneState(ctx)
      )
    }
    case 'runner-jit': {
      const jit = await createJitRunner(ctx, inputs, (registered) =>
        publishRunnerState(ctx, inputs, registered)
      )
      const request = {
        inputs: inputs.handoff,
        secret: jit.encodedJitConfig,
        apiUrl: inputs.apiUrl
      }
      const undo: Undo = [() => removeJitRunner(ctx, inputs, jit.runner)]
      return withRollback(
        ctx,
        undo,
        async () => publishJitConfig(ctx, inputs, jit, await handOff(ctx, request, undo)),
        undoneState(ctx)
      )
    }
  }
}

async function mintInstallationToken(
  ctx: ActionContext,
  inputs: InstallationRequest
): Promise<void> {
  // What tells the refresher that the job is over, decided before minting: nothing can go wrong
  // with it after a token exists.
  const workerPid = inputs.handoff.refresh ? ctx.findRunnerWorker() : undefined
  const minted = await createInstallationToken(ctx, inputs)
  ctx.core.setSecret(minted.token)
  const { apiUrl, handoff } = inputs
  const undo: Undo = [
    () => revokeInstallationToken({ github: ctx.github.forCleanup() }, apiUrl, minted.token)
  ]
  await withRollback(
    ctx,
    undo,
    async () => {
      await publishRevocationState(ctx, inputs, minted)
      const bot = handoff.botIdentity
        ? await fetchBotIdentity(ctx, {
            apiUrl,
            serverUrl: serverUrlFor(ctx.run, apiUrl),
            app: inputs.app,
            token: minted.token,
            appSlug: minted.appSlug
          })
        : undefined
      const rateLimit = handoff.rateLimit
        ? await fetchRateLimit(ctx.github.asToken(apiUrl, minted.token), ctx.log)
        : undefined
      const request: HandoffRequest = {
        inputs: handoff,
        secret: minted.token,
        apiUrl,
        refresh: handoff.refresh ? { ...refreshRequest(ctx, inputs, minted), workerPid } : undefined
      }
      const handedOff = await handOff(ctx, request, undo)
      await publishInstallationToken(ctx, inputs, minted, { handedOff, bot, rateLimit })
    },
    undoneState(ctx)
  )
}

/** The 'undone' state: main undid what it minted, so the post step does not undo it again. */
function undoneState(ctx: ActionContext) {
  return { markUndone: (by: string) => ctx.core.saveState('undone', by) }
}

/** What the refresher needs to mint the same token again: same installation, scope and key. */
function refreshRequest(
  ctx: ActionContext,
  inputs: InstallationRequest,
  minted: InstallationToken
) {
  return {
    apiUrl: inputs.apiUrl,
    appId: inputs.app.appId,
    privateKey: inputs.app.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    installationId: minted.installationId,
    repositories: inputs.target.repositories,
    permissions: inputs.permissions,
    expiresAt: minted.expiresAt,
    // GitHub's time, as expires_at is: the refresher takes the token's lifetime from the two.
    mintedAt: new Date(ctx.github.clock.now()).toISOString()
  }
}
