/** simple-user and repository bodies, shaped like GitHub's OpenAPI schemas. */
import type { RepoRecord, State } from './state.js'

export const WEB = 'https://github.com'
export const nodeId = (kind: string, id: number): string =>
  Buffer.from(`${kind}:${id}`).toString('base64')

export function simpleUser(
  base: string,
  login: string,
  id: number,
  type: string
): Record<string, unknown> {
  // GitHub percent-encodes the brackets of a bot's login ('app[bot]') in its URLs.
  const url = `${base}/users/${encodeURIComponent(login)}`
  return {
    login,
    id,
    node_id: nodeId(type, id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url,
    html_url: `${WEB}/${encodeURIComponent(login)}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false
  }
}

const REPO_TEMPLATES: Record<string, string> = {
  archive_url: '/{archive_format}{/ref}',
  assignees_url: '/assignees{/user}',
  blobs_url: '/git/blobs{/sha}',
  branches_url: '/branches{/branch}',
  collaborators_url: '/collaborators{/collaborator}',
  comments_url: '/comments{/number}',
  commits_url: '/commits{/sha}',
  compare_url: '/compare/{base}...{head}',
  contents_url: '/contents/{+path}',
  contributors_url: '/contributors',
  deployments_url: '/deployments',
  downloads_url: '/downloads',
  events_url: '/events',
  forks_url: '/forks',
  git_commits_url: '/git/commits{/sha}',
  git_refs_url: '/git/refs{/sha}',
  git_tags_url: '/git/tags{/sha}',
  hooks_url: '/hooks',
  issue_comment_url: '/issues/comments{/number}',
  issue_events_url: '/issues/events{/number}',
  issues_url: '/issues{/number}',
  keys_url: '/keys{/key_id}',
  labels_url: '/labels{/name}',
  languages_url: '/languages',
  merges_url: '/merges',
  milestones_url: '/milestones{/number}',
  notifications_url: '/notifications{?since,all,participating}',
  pulls_url: '/pulls{/number}',
  releases_url: '/releases{/id}',
  stargazers_url: '/stargazers',
  statuses_url: '/statuses/{sha}',
  subscribers_url: '/subscribers',
  subscription_url: '/subscription',
  tags_url: '/tags',
  teams_url: '/teams',
  trees_url: '/git/trees{/sha}'
}

export function repository(state: State, base: string, repo: RepoRecord): Record<string, unknown> {
  const installation = state.installationFor(repo.owner)
  const owner = simpleUser(
    base,
    repo.owner,
    state.accountId(repo.owner),
    installation?.account.type ?? 'Organization'
  )
  const url = `${base}/repos/${repo.owner}/${repo.name}`
  const urls = Object.fromEntries(
    Object.entries(REPO_TEMPLATES).map(([k, suffix]) => [k, url + suffix])
  )
  const created = installation?.createdAt ?? '2020-01-01T00:00:00Z'
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    owner,
    private: true,
    html_url: `${WEB}/${repo.owner}/${repo.name}`,
    description: null,
    fork: false,
    url,
    ...urls,
    git_url: `git://github.com/${repo.owner}/${repo.name}.git`,
    ssh_url: `git@github.com:${repo.owner}/${repo.name}.git`,
    clone_url: `${WEB}/${repo.owner}/${repo.name}.git`,
    svn_url: `${WEB}/${repo.owner}/${repo.name}`,
    mirror_url: null,
    homepage: null,
    language: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 0,
    default_branch: 'main',
    open_issues: 0,
    open_issues_count: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: 'private',
    license: null,
    pushed_at: created,
    created_at: created,
    updated_at: created,
    allow_forking: true,
    web_commit_signoff_required: false
  }
}
