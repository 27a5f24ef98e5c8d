import type { RunnerRegistrationRequest } from '../requests.js'
import type { Deps } from '../seam/deps.js'
import { requireString, requireTimestamp } from '../transport/check-reply.js'
import { createRegistrationToken } from './runner-requests.js'
import { withRunnerAdminToken } from './with-runner-admin-token.js'

export interface RegistrationToken {
  token: string
  expiresAt: string
}

/** A registration token for the request's scope, minted with the runner admin token. */
export async function mintRegistrationToken(
  ctx: Deps,
  inputs: RunnerRegistrationRequest
): Promise<RegistrationToken> {
  return withRunnerAdminToken(ctx, inputs, async (github) => {
    const { data, route } = await createRegistrationToken(github, inputs.scope)
    return {
      token: requireString(data, 'token', route),
      expiresAt: requireTimestamp(data, 'expires_at', route)
    }
  })
}
