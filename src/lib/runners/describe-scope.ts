/** "organization 'octo-org'" or "repository 'octo-org/app'", for log lines and errors. */
export function describeScope(scope: RunnerScope): string {
  return scope.kind === 'org'
    ? `organization '${scope.org}'`
    : `repository '${scope.owner}/${scope.repo}'`
}
import type { RunnerScope } from '../requests.js'
