import type { RunnerJitRequest } from '../requests.js'
import type { Deps } from '../seam/deps.js'
import { describeRequestError } from '../transport/describe-request-error.js'
import { neutralize } from '../text/neutralize.js'
import { generateJitConfig, type JitConfig } from './generate-jit-config.js'
import { removeJitRunner } from './remove-jit-runner.js'
import { resolveRunnerGroup, type RunnerGroup } from './resolve-runner-group.js'
import { withRunnerAdminToken } from './with-runner-admin-token.js'

export interface JitRunner extends JitConfig {
  group: RunnerGroup
}

/**
 * Registers the runner. `onRegistered` runs as soon as it is registered, before the intermediate
 * token is revoked: the main step saves there what the post step needs to remove the runner, so
 * that a job cancelled from then on (when the step still dies at the runner's signal) leaves the
 * post step a runner to remove. If `onRegistered` fails, the runner is removed.
 */
export async function createJitRunner(
  ctx: Deps,
  inputs: RunnerJitRequest,
  onRegistered: (jit: JitRunner) => Promise<void>
): Promise<JitRunner> {
  return withRunnerAdminToken(ctx, inputs, async (github, forCleanup) => {
    const group = await resolveRunnerGroup(ctx, github, inputs.scope, inputs.jit.group)
    const clients = { github, forCleanup }
    const jit = { ...(await generateJitConfig(ctx, clients, inputs, group.id)), group }
    try {
      await onRegistered(jit)
    } catch (error) {
      await removeJitRunner(ctx, inputs, jit.runner).catch((removeError: unknown) =>
        ctx.log.warning(
          `Could not remove runner ${neutralize(jit.runner.name)} (id ${jit.runner.id}) (${describeRequestError(removeError)}).`
        )
      )
      throw error
    }
    return jit
  })
}
