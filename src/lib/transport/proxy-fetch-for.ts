import { HttpClient } from '@actions/http-client'
import { fetch, type RequestInit as UndiciRequestInit } from 'undici'

/**
 * fetch through the proxy that the toolkit's rules pick for `apiUrl` (https_proxy, http_proxy,
 * no_proxy; loopback never proxied), with @actions/http-client choosing and undici connecting,
 * exactly as @actions/github does.
 * Gap: @actions/github builds its proxy fetch once, at import, for GITHUB_API_URL, and does not
 * export the function that builds it. 'github-api-url' may name another host, with other
 * no_proxy rules, so we build the same thing for the URL we actually call.
 */
export function proxyFetchFor(apiUrl: string) {
  const dispatcher = new HttpClient().getAgentDispatcher(apiUrl)
  return async (url: string, init?: RequestInit): Promise<Response> => {
    const options = { ...(init as UndiciRequestInit), dispatcher }
    return (await fetch(url, options)) as unknown as Response
  }
}
