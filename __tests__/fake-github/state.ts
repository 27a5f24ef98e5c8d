import type {
  AddInstallation,
  AddRunner,
  AddRunnerGroup,
  Installation,
  IssuedToken,
  RecordedRequest,
  RunnerGroup,
  RunnerRecord,
  RunnerScope
} from './types.js'

export interface RepoRecord {
  id: number
  owner: string
  name: string
}

const lower = (s: string): string => s.toLowerCase()
const scopeKey = (s: RunnerScope): string => lower('org' in s ? s.org : `${s.owner}/${s.repo}`)

/** Everything the fake remembers between requests; routes read and change it. */
export class State {
  clockSkewMs = 0
  latencyMs = 0
  /** How long a minted installation token lives: GitHub's hour, shorter for refresh tests. */
  tokenLifetimeMs = 3600_000
  /** false: a server that predates the format header (an older GHES) and ignores it. */
  knowsFormatHeader = true
  /** false: a server without GET /enterprises/{enterprise}/installation (an older GHES). */
  knowsEnterpriseEndpoint = true
  readonly installations: Installation[] = []
  readonly tokens = new Map<string, IssuedToken>()
  readonly requests: RecordedRequest[] = []
  readonly runners: RunnerRecord[] = []
  readonly runnerGroups: RunnerGroup[] = []
  private readonly repos = new Map<string, RepoRecord>()
  private readonly accountIds = new Map<string, number>()
  private nextInstallationId = 1000
  private nextRepoId = 500000
  private nextAccountId = 9000
  private nextRunnerId = 1
  private nextGroupId = 2

  /** The runner's clock the fake's time is reckoned from: the real one, or a test's fake clock. */
  runnerNow: () => number = () => Date.now()

  now(): number {
    return this.runnerNow() + this.clockSkewMs
  }

  accountId(login: string): number {
    let id = this.accountIds.get(lower(login))
    if (id === undefined) this.accountIds.set(lower(login), (id = this.nextAccountId++))
    return id
  }

  /** Repositories get a stable numeric id the first time they are mentioned. */
  repo(owner: string, name: string): RepoRecord {
    const key = `${lower(owner)}/${lower(name)}`
    let repo = this.repos.get(key)
    if (!repo) this.repos.set(key, (repo = { id: this.nextRepoId++, owner, name }))
    return repo
  }

  repoById(id: number): RepoRecord | undefined {
    return [...this.repos.values()].find((r) => r.id === id)
  }

  addInstallation(i: AddInstallation): Installation {
    const installation: Installation = {
      id: i.id ?? this.nextInstallationId++,
      account: {
        login: i.account,
        id: this.accountId(i.account),
        type: i.accountType ?? 'Organization'
      },
      repositorySelection: i.repositorySelection ?? 'selected',
      repositories: [...i.repositories],
      permissions: { ...i.permissions },
      createdAt: new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      tokenFormat: i.tokenFormat ?? 'stateless'
    }
    for (const name of i.repositories) this.repo(i.account, name)
    this.installations.push(installation)
    return installation
  }

  installationFor(account: string): Installation | undefined {
    return this.installations.find((i) => lower(i.account.login) === lower(account))
  }

  /** The installation's repository with that name, in the installation's own spelling. */
  installedRepo(installation: Installation, name: string): string | undefined {
    return installation.repositories.find((r) => lower(r) === lower(name))
  }

  /** Each org gets its "Default" group (id 1) the first time it is used, as on GitHub. */
  groupsOf(org: string): RunnerGroup[] {
    if (!this.runnerGroups.some((g) => lower(g.org) === lower(org))) {
      this.runnerGroups.push({
        id: 1,
        org,
        name: 'Default',
        visibility: 'all',
        default: true,
        restrictedToWorkflows: false,
        selectedRepositories: []
      })
    }
    return this.runnerGroups.filter((g) => lower(g.org) === lower(org))
  }

  addRunnerGroup(org: string, g: AddRunnerGroup): RunnerGroup {
    this.groupsOf(org)
    const group: RunnerGroup = {
      id: g.id ?? this.nextGroupId++,
      org,
      name: g.name,
      visibility: g.visibility ?? 'all',
      default: g.default ?? false,
      restrictedToWorkflows: g.restrictedToWorkflows ?? false,
      selectedRepositories: [...(g.selectedRepositories ?? [])]
    }
    this.runnerGroups.push(group)
    return group
  }

  addRunner(runner: Omit<RunnerRecord, 'id'>): RunnerRecord {
    const record: RunnerRecord = { id: this.nextRunnerId++, ...runner }
    this.runners.push(record)
    return record
  }

  /** Runners of one organization or repository, in registration order. */
  runnersIn(scope: RunnerScope): RunnerRecord[] {
    return this.runners.filter((r) => scopeKey(r.scope) === scopeKey(scope))
  }

  seedRunner(r: AddRunner): RunnerRecord {
    if (this.runnersIn(r.scope).some((other) => lower(other.name) === lower(r.name)))
      throw new Error(`fake GitHub: a runner named ${r.name} already exists in that scope`)
    return this.addRunner({
      name: r.name,
      scope: r.scope,
      labels: [...(r.labels ?? ['self-hosted'])],
      runnerGroupId: r.runnerGroupId ?? 1,
      status: r.status ?? 'offline',
      busy: r.busy ?? false,
      os: r.os ?? 'linux'
    })
  }

  runner(id: number): RunnerRecord {
    const runner = this.runners.find((r) => r.id === id)
    if (!runner) throw new Error(`fake GitHub: no runner with id ${id}`)
    return runner
  }

  removeRunner(id: number): void {
    const index = this.runners.findIndex((r) => r.id === id)
    if (index >= 0) this.runners.splice(index, 1)
  }
}
