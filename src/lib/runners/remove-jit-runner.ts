import type { RunnerJitRequest } from '../requests.js'
import type { Deps } from '../seam/deps.js'
import type { Runner } from './generate-jit-config.js'
import { deleteRunner } from './runner-requests.js'
import { withRunnerAdminToken } from './with-runner-admin-token.js'

/**
 * Removes a runner this step registered, when the step fails after registering it: a runner
 * whose config nobody received must not stay registered.
 * https://docs.github.com/en/rest/actions/self-hosted-runners#delete-a-self-hosted-runner-from-an-organization
 */
export async function removeJitRunner(
  ctx: Deps,
  inputs: RunnerJitRequest,
  runner: Runner
): Promise<void> {
  // All of it on clean-up clients: the intermediate token's mint too, not only the DELETE, so a
  // step whose budget went on retries can still remove the runner.
  const cleanupCtx = { ...ctx, github: ctx.github.forCleanup() }
  await withRunnerAdminToken(cleanupCtx, inputs, (github) =>
    deleteRunner(github, inputs.scope, runner.id)
  )
}
