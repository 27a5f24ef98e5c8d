import { inputField, type Field } from '../field.js'
import { serverUrlFor } from '../handoff/server-url.js'
import { InputError } from '../input-error.js'
import type { RunnerScope, Target } from '../requests.js'
import type { RunInfo } from '../seam/deps.js'
import { quoteInput } from '../text/quote-input.js'

/** The fields these messages name; the action's inputs unless a front end says otherwise. */
export interface ScopeFields {
  owner: Field
  repositories: Field
}

const INPUTS: ScopeFields = { owner: inputField('owner'), repositories: inputField('repositories') }

/** Enterprise runners can't be managed with an App: refused before anything is minted. */
export function refuseEnterprise(owner: string, fields: ScopeFields = INPUTS): void {
  if (!/^enterprises?[/:]/i.test(owner.trim())) return
  throw new InputError(
    `${fields.owner.subject} names an enterprise, but enterprise-level runners can't be managed with a GitHub App: GitHub's enterprise runner endpoints refuse App installation tokens. Register the runner with an organization (${quoteSetting(fields.owner)}) and share it through a runner group.`
  )
}

function quoteSetting(field: Field): string {
  return `'${field.setting('ORG')}'`
}

/** The web URL of the runner's home: the server behind the API URL, then the org or repository. */
export function webUrl(
  run: Pick<RunInfo, 'serverUrl' | 'apiUrl'>,
  apiUrl: string,
  scope: RunnerScope
): string {
  const base = serverUrlFor(run, apiUrl)
  return scope.kind === 'org' ? `${base}/${scope.org}` : `${base}/${scope.owner}/${scope.repo}`
}

/** owner + one repository → that repository; owner only → the organization. */
export function runnerScope(target: Target, fields: ScopeFields = INPUTS): RunnerScope {
  const repositories = target.repositories
  if (!repositories) return { kind: 'org', org: target.owner }
  if (repositories.length > 1) {
    throw new InputError(
      `${fields.repositories.subject} lists ${repositories.length} repositories, but a runner registers with one repository or one organization. Name one repository, or none for the organization ${quoteInput(target.owner)}.`
    )
  }
  return { kind: 'repo', owner: target.owner, repo: repositories[0]! }
}
