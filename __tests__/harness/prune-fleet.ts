import { startFakeGitHub, type AddRunner, type FakeGitHub } from '../fake-github/server.js'
import { runStep, type Job, type StepResult } from './run-action.js'

/** What the prune-runners end-to-end tests share: the fake's fleet and the bundled sub-action. */

export const HOUR = 3_600_000
const ORG = { org: 'octo-org' }

/** The fake with one organization installation that has the runner permission. */
export async function startPruneFake(): Promise<FakeGitHub> {
  const fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { organization_self_hosted_runners: 'write', metadata: 'read' }
  })
  return fake
}

/** A name as mint-token generates it, created `ageMs` before `now` (GitHub's time). */
export const generated = (ageMs: number, hex: string, prefix = 'mint-token', now = Date.now()) =>
  `${prefix}-${Math.floor((now - ageMs) / 1000).toString(36)}-4242-1-${hex}`

export const seed = (fake: FakeGitHub, runners: Omit<AddRunner, 'scope'>[]) =>
  runners.map((r) => fake.addRunner({ scope: ORG, ...r }))

/** The bundled prune-runners for the organization, with the fake App's credentials. */
export const prune = (fake: FakeGitHub, job: Job, inputs: Record<string, string> = {}) =>
  runStep(job, 'prune-runners', {
    'app-id': String(fake.app.id),
    'private-key': fake.app.privateKey,
    owner: 'octo-org',
    ...inputs
  })

/** GitHub answers this organization runner's DELETE with HTTP 500, retries included. */
export const failDeleteOf = (fake: FakeGitHub, runnerId: number) =>
  fake.inject({
    method: 'DELETE',
    path: `/orgs/octo-org/actions/runners/${runnerId}`,
    times: 3,
    fault: { status: 500 }
  })

export const deletes = (fake: FakeGitHub) =>
  fake.requests.filter((r) => r.method === 'DELETE' && r.path.includes('/runners/'))

export const removed = (step: StepResult) =>
  JSON.parse(step.outputs.removed!) as { id: number; name: string }[]
