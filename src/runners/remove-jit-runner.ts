import type { Context } from '../context.js'
import type { RunnerJitInputs } from '../inputs.js'
import type { Runner } from './generate-jit-config.js'
import { runnersRoute, withRunnerAdminToken } from './with-runner-admin-token.js'

/**
 * Removes a runner this step registered, when the step fails after registering it: a runner
 * whose config nobody received must not stay registered. It runs on the clean-up budget.
 * https://docs.github.com/en/rest/actions/self-hosted-runners#delete-a-self-hosted-runner-from-an-organization
 */
export async function removeJitRunner(
  ctx: Context,
  inputs: RunnerJitInputs,
  runner: Runner
): Promise<void> {
  const { path, params } = runnersRoute(inputs.scope)
  await withRunnerAdminToken(ctx, inputs, (_github, forCleanup) =>
    forCleanup().request(`DELETE ${path}/{runner_id}`, { ...params, runner_id: runner.id })
  )
}
