/** Installation, app, runner and runner-group bodies, shaped like GitHub's OpenAPI schemas. */
import { nodeId, simpleUser, WEB } from './repository.js'
import type { State } from './state.js'
import type { AppIdentity, Installation, RunnerGroup, RunnerRecord } from './types.js'

export function installation(
  state: State,
  base: string,
  app: AppIdentity,
  i: Installation
): Record<string, unknown> {
  return {
    id: i.id,
    client_id: app.clientId,
    account:
      i.account.type === 'Enterprise'
        ? enterprise(base, i.account.login, i.account.id, i.createdAt)
        : simpleUser(base, i.account.login, i.account.id, i.account.type),
    repository_selection: i.repositorySelection,
    access_tokens_url: `${base}/app/installations/${i.id}/access_tokens`,
    repositories_url: `${base}/installation/repositories`,
    html_url: `${WEB}/organizations/${i.account.login}/settings/installations/${i.id}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: i.account.id,
    target_type: i.account.type,
    permissions: i.permissions,
    events: [],
    created_at: i.createdAt,
    updated_at: i.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null
  }
}

export function integration(state: State, base: string, app: AppIdentity): Record<string, unknown> {
  const owner = 'fake-app-owner'
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId('Integration', app.id),
    client_id: app.clientId,
    owner: simpleUser(base, owner, state.accountId(owner), 'Organization'),
    name: 'Fake Mint Token App',
    description: 'Served by the fake GitHub API in __tests__/fake-github',
    external_url: 'https://example.com',
    html_url: `${WEB}/apps/${app.slug}`,
    created_at: '2020-01-01T00:00:00Z',
    updated_at: '2020-01-01T00:00:00Z',
    permissions: {},
    events: [],
    installations_count: state.installations.length
  }
}

export function runner(r: RunnerRecord): Record<string, unknown> {
  const labels = r.labels.map((name, index) => ({
    id: r.id * 1000 + index + 1,
    name,
    type: 'custom'
  }))
  return {
    id: r.id,
    name: r.name,
    os: r.os,
    status: r.status,
    busy: r.busy,
    ephemeral: false,
    labels,
    runner_group_id: r.runnerGroupId
  }
}

export function runnerGroup(base: string, g: RunnerGroup): Record<string, unknown> {
  const url = `${base}/orgs/${g.org}/actions/runner-groups/${g.id}`
  return {
    id: g.id,
    name: g.name,
    visibility: g.visibility,
    default: g.default,
    runners_url: `${url}/runners`,
    ...(g.visibility === 'selected' ? { selected_repositories_url: `${url}/repositories` } : {}),
    inherited: false,
    allows_public_repositories: false,
    restricted_to_workflows: g.restrictedToWorkflows,
    selected_workflows: [],
    workflow_restrictions_read_only: false
  }
}

/**
 * An installation's account when it is an enterprise. GitHub's descriptions disagree on its shape
 * (`installation` says simple-user or enterprise, the list of installations says simple-user), so
 * the fake answers with both sets of fields, and mint-token reads `slug`, then `login`.
 */
function enterprise(
  base: string,
  slug: string,
  id: number,
  createdAt: string
): Record<string, unknown> {
  return {
    ...simpleUser(base, slug, id, 'Enterprise'),
    id,
    slug,
    name: slug,
    node_id: nodeId('Enterprise', id),
    html_url: `${WEB}/enterprises/${slug}`,
    website_url: null,
    description: null,
    avatar_url: `https://avatars.githubusercontent.com/b/${id}?v=4`,
    created_at: createdAt,
    updated_at: createdAt
  }
}
