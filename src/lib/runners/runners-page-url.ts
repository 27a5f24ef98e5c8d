import type { RunnerScope } from '../requests.js'
import type { RunInfo } from '../seam/deps.js'
import { serverUrlFor } from '../handoff/server-url.js'

/**
 * The settings page that lists a scope's self-hosted runners, or one runner's page when its id
 * is known: where a reader of the job summary checks the runner's status and labels.
 */
export function runnersPageUrl(
  run: Pick<RunInfo, 'serverUrl' | 'apiUrl'>,
  apiUrl: string,
  where: { scope: RunnerScope; runnerId?: number }
): string {
  const server = serverUrlFor(run, apiUrl)
  const { scope, runnerId } = where
  const home =
    scope.kind === 'org'
      ? `${server}/organizations/${scope.org}`
      : `${server}/${scope.owner}/${scope.repo}`
  return `${home}/settings/actions/runners${runnerId === undefined ? '' : `/${runnerId}`}`
}
