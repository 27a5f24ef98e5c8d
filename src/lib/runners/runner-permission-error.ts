import type { RunnerScope } from '../requests.js'
import { describeRequestError, httpStatus } from '../transport/describe-request-error.js'
import { neutralize } from '../text/neutralize.js'
import { describeScope } from './describe-scope.js'

/** The App permission each scope's runner endpoints need, as the App settings page names it. */
const NEEDED = {
  org: "Organization permissions → Self-hosted runners: Read and write ('organization_self_hosted_runners: write')",
  repo: "Repository permissions → Administration: Read and write ('administration: write')"
}

/** The installation token lacks the runner permission: it stops the whole run, not one runner. */
export class RunnerPermissionError extends Error {
  override name = 'RunnerPermissionError'
}

/**
 * A 403 on a runner endpoint means the token lacks the runner permission: the same message for
 * every runner would only repeat, so it becomes one error saying which permission to add. A 403
 * for a rate limit is not about permissions and is returned unchanged, like any other error.
 */
export function runnerPermissionError(error: unknown, scope: RunnerScope, doing: string): unknown {
  const message = error instanceof Error ? error.message : String(error)
  if (httpStatus(error) !== 403 || /rate limit/i.test(message)) return error
  return new RunnerPermissionError(
    `GitHub refused to ${doing} of ${describeScope(scope)} (${neutralize(describeRequestError(error))}). Pruning runners needs the GitHub App permission ${NEEDED[scope.kind]}. Add it in the App's settings (Permissions & events) and have the installation owner accept the new permissions.`
  )
}
