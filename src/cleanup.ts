import type { Context } from './context.js'
import { cleanupInstallationToken } from './installation/cleanup-installation-token.js'
import { cleanupRunner } from './runners/cleanup-runner.js'
import type { RunnerState } from './runners/publish-runner-credential.js'

/** The post step: undo what the main step minted. It warns, it never fails the job. */
export async function cleanup(ctx: Context): Promise<void> {
  const runner = ctx.core.getState('runner')
  if (runner) return cleanupRunner(ctx, JSON.parse(runner) as RunnerState)
  return cleanupInstallationToken(ctx)
}
