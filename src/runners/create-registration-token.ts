import type { Context } from '../context.js'
import type { RunnerRegistrationInputs } from '../inputs.js'
import { runnersRoute, withRunnerAdminToken } from './with-runner-admin-token.js'

export interface RegistrationToken {
  token: string
  expiresAt: string
}

/**
 * https://docs.github.com/en/rest/actions/self-hosted-runners#create-a-registration-token-for-an-organization
 * https://docs.github.com/en/rest/actions/self-hosted-runners#create-a-registration-token-for-a-repository
 */
export async function createRegistrationToken(
  ctx: Context,
  inputs: RunnerRegistrationInputs
): Promise<RegistrationToken> {
  const { path, params } = runnersRoute(inputs.scope)
  return withRunnerAdminToken(ctx, inputs, async (github) => {
    const response = await github.request(`POST ${path}/registration-token`, params)
    const { token, expires_at } = response.data as { token: string; expires_at: string }
    return { token, expiresAt: expires_at }
  })
}
