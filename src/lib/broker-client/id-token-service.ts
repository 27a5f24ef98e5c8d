import { proxyFetchFor } from '../transport/proxy-fetch-for.js'
import { neutralize } from '../text/neutralize.js'

/**
 * An OIDC token from the runner's token service, as core.getIDToken asks for one: GET its URL
 * with `&audience=`, the request token as the bearer, `{value}` back.
 * Gap: @actions/core's getIDToken reads the service from the environment of the step, and the
 * refresher, which asks again long after the step, neither has that environment nor loads the
 * toolkit; so it calls the same service the same way itself.
 * https://docs.github.com/en/actions/reference/security/oidc#methods-for-requesting-the-oidc-token
 */
export function idTokenFromService(service: {
  url: string
  token: string
}): (audience: string) => Promise<string> {
  return async (audience) => {
    const url = `${service.url}&audience=${encodeURIComponent(audience)}`
    const reply = await proxyFetchFor(url)(url, {
      headers: { authorization: `Bearer ${service.token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(10_000)
    })
    const value = reply.ok ? ((await reply.json()) as { value?: unknown }).value : undefined
    if (typeof value !== 'string' || value === '')
      throw new Error(
        `The runner's OIDC token service did not give a token (HTTP ${reply.status}${reply.ok ? ', no value' : `: ${neutralize(reply.statusText, 100)}`}).`
      )
    return value
  }
}
