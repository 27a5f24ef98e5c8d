import { HttpClient } from '@actions/http-client'
import { fetch as undiciFetch, type Dispatcher } from 'undici'

const client = new HttpClient()
const dispatchers = new Map<string, Dispatcher | undefined>()

/** undici's fetch through the proxy that @actions/http-client picks for the URL (none for no_proxy). */
export async function proxyFetch(url: string, init?: RequestInit): Promise<Response> {
  const origin = new URL(url).origin
  if (!dispatchers.has(origin)) dispatchers.set(origin, client.getAgentDispatcher(origin))
  const options = { ...init, dispatcher: dispatchers.get(origin) } as Parameters<
    typeof undiciFetch
  >[1]
  return (await undiciFetch(url, options)) as unknown as Response
}
