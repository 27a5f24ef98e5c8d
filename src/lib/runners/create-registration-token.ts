import type { RunnerRegistrationRequest } from '../requests.js'
import type { Deps } from '../seam/deps.js'
import { requireString, requireTimestamp } from '../transport/check-reply.js'
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
  ctx: Deps,
  inputs: RunnerRegistrationRequest
): Promise<RegistrationToken> {
  const { path, params } = runnersRoute(inputs.scope)
  const route = `POST ${path}/registration-token`
  return withRunnerAdminToken(ctx, inputs, async (github) => {
    const data: unknown = (await github.request(route, params)).data
    return {
      token: requireString(data, 'token', route),
      expiresAt: requireTimestamp(data, 'expires_at', route)
    }
  })
}
