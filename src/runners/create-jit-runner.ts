import type { Context } from '../context.js'
import type { RunnerJitInputs } from '../inputs.js'
import { generateJitConfig, type JitConfig } from './generate-jit-config.js'
import { resolveRunnerGroup, type RunnerGroup } from './resolve-runner-group.js'
import { withRunnerAdminToken } from './with-runner-admin-token.js'

export interface JitRunner extends JitConfig {
  group: RunnerGroup
}

export async function createJitRunner(ctx: Context, inputs: RunnerJitInputs): Promise<JitRunner> {
  return withRunnerAdminToken(ctx, inputs, async (github, forCleanup) => {
    const group = await resolveRunnerGroup(ctx, github, inputs.scope, inputs.jit.group)
    const clients = { github, forCleanup }
    return { ...(await generateJitConfig(ctx, clients, inputs, group.id)), group }
  })
}
