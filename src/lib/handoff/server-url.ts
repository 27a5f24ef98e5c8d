import type { RunInfo } from '../seam/deps.js'
import { trimTrailingSlashes } from '../text/trim-trailing-slashes.js'

/**
 * The web server behind an API URL, without a trailing slash: the runner's own server URL when we
 * talk to the runner's own API, else derived from the API URL's shape:
 * - GitHub Enterprise Server serves its API under the server's own host, at `/api/v3`: the server
 *   is the URL without that path, whatever the host is called (`https://api.ghes.example/api/v3`
 *   → `https://api.ghes.example`; port and any path before `/api/v3` kept).
 * - github.com and GitHub Enterprise Cloud with data residency serve it on a host of its own, with
 *   no path: `https://api.github.com` → `https://github.com`, `https://api.SUB.ghe.com` →
 *   `https://SUB.ghe.com`. Only there is the `api.` prefix dropped.
 * - Any other shape is taken as the server itself.
 * https://docs.github.com/en/enterprise-server@latest/rest/using-the-rest-api/getting-started-with-the-rest-api
 * https://docs.github.com/en/enterprise-cloud@latest/admin/data-residency/about-github-enterprise-cloud-with-data-residency
 */
export function serverUrlFor(run: Pick<RunInfo, 'serverUrl' | 'apiUrl'>, apiUrl: string): string {
  const api = trimTrailingSlashes(apiUrl)
  if (api === trimTrailingSlashes(run.apiUrl)) return trimTrailingSlashes(run.serverUrl)
  if (api.endsWith('/api/v3')) return api.slice(0, -'/api/v3'.length)
  const url = new URL(api)
  if (url.pathname === '/' && url.hostname.startsWith('api.'))
    return `${url.protocol}//${url.host.slice('api.'.length)}`
  return api
}
