import { nodeHttpFetch } from './node-http-fetch.js'

/**
 * fetch that honours the runner's proxy settings (https_proxy, http_proxy, no_proxy) the way the
 * @actions/* packages do; Node's own fetch ignores them. @actions/http-client decides whether a
 * URL goes through the proxy, and undici connects through it. Both are loaded only when a proxy
 * variable is set, because loading them costs about 100 ms of start-up.
 */
export function createProxyFetch(env: NodeJS.ProcessEnv = process.env) {
  const proxied = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'].some(
    (name) => env[name]
  )
  if (!proxied) return nodeHttpFetch
  const loading = import('./proxy-fetch.js')
  return async (url: string, init?: RequestInit) => (await loading).proxyFetch(url, init)
}
