import type { RunInfo } from '../context.js'
import { trimTrailingSlashes } from '../inputs/trim-trailing-slashes.js'

/**
 * The web server behind an API URL: the runner's own server URL when we talk to the runner's
 * own API, else derived (HOST/api/v3 → HOST, api.HOST → HOST), without a trailing slash.
 */
export function serverUrlFor(run: Pick<RunInfo, 'serverUrl' | 'apiUrl'>, apiUrl: string): string {
  const own = apiUrl === trimTrailingSlashes(run.apiUrl)
  const server = own ? run.serverUrl : apiUrl.replace(/\/api\/v3$/, '').replace('://api.', '://')
  return trimTrailingSlashes(server)
}
