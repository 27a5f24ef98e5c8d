import type { Context } from './context.js'
import { createInstallationToken } from './installation/create-installation-token.js'
import { publishInstallationToken } from './installation/publish-installation-token.js'
import { parseInputs } from './inputs.js'
import { createJitRunner } from './runners/create-jit-runner.js'
import { createRegistrationToken } from './runners/create-registration-token.js'
import { publishJitConfig, publishRegistrationToken } from './runners/publish-runner-credential.js'

/** The main step: validate every input, mint, then publish. Nothing is published on failure. */
export async function mint(ctx: Context): Promise<void> {
  const inputs = parseInputs(ctx)
  switch (inputs.tokenType) {
    case 'installation':
      return publishInstallationToken(ctx, inputs, await createInstallationToken(ctx, inputs))
    case 'runner-registration':
      return publishRegistrationToken(ctx, inputs, await createRegistrationToken(ctx, inputs))
    case 'runner-jit':
      return publishJitConfig(ctx, inputs, await createJitRunner(ctx, inputs))
  }
}
