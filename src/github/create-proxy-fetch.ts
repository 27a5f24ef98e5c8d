import { HttpClient } from '@actions/http-client'
import { fetch as undiciFetch, type Dispatcher } from 'undici'

/**
 * fetch that honours the runner's proxy settings (https_proxy, no_proxy, …) the way every
 * @actions/* package does. Node's own fetch ignores them.
 */
export function createProxyFetch(): (url: string, init?: RequestInit) => Promise<Response> {
  const client = new HttpClient()
  const dispatchers = new Map<string, Dispatcher | undefined>()
  return async (url, init) => {
    const origin = new URL(url).origin
    if (!dispatchers.has(origin)) dispatchers.set(origin, client.getAgentDispatcher(origin))
    const dispatcher = dispatchers.get(origin)
    const options = { ...init, dispatcher } as Parameters<typeof undiciFetch>[1]
    return (await undiciFetch(url, options)) as unknown as Response
  }
}
