/** Public shapes of the fake GitHub API; the server, the routes and the tests share them. */
export type Level = 'read' | 'write' | 'admin'

export interface Installation {
  id: number
  account: { login: string; id: number; type: 'Organization' | 'User' }
  repositorySelection: 'all' | 'selected'
  repositories: string[]
  permissions: Record<string, Level>
  createdAt: string
}

export interface IssuedToken {
  installationId: number
  permissions: Record<string, string>
  repositories: string[] | 'all'
  expiresAt: Date
  revoked: boolean
}

export interface RunnerGroup {
  id: number
  org: string
  name: string
  visibility: 'all' | 'selected' | 'private'
  default: boolean
  restrictedToWorkflows: boolean
  selectedRepositories: string[]
}

export type RunnerScope = { org: string } | { owner: string; repo: string }

export interface RunnerRecord {
  id: number
  name: string
  scope: RunnerScope
  labels: string[]
  runnerGroupId: number
  status: 'online' | 'offline'
  busy: boolean
  os: string
}

export interface RecordedRequest {
  method: string
  /** Without the GHES prefix and without the query string. */
  path: string
  query: Record<string, string>
  auth: 'jwt' | 'token' | 'none'
  body: unknown
  /** 0 when a fault reset the connection or left it hanging. */
  status: number
  responseBody: unknown
  /** OpenAPI path template of the matched route, e.g. '/repos/{owner}/{repo}/installation'. */
  operation?: string
}

export type Fault =
  | { status: number; retryAfter?: number; message?: string }
  | { secondaryRateLimit: { retryAfter: number } }
  | { reset: true }
  | { hang: true }
  | { latencyMs: number }

export interface FaultRule {
  method?: string
  path?: string | RegExp
  times?: number
  fault: Fault
}

export interface AddInstallation {
  id?: number
  account: string
  accountType?: 'Organization' | 'User'
  repositorySelection?: 'all' | 'selected'
  repositories: string[]
  permissions: Record<string, Level>
}

export interface AddRunnerGroup {
  id?: number
  name: string
  visibility?: 'all' | 'selected' | 'private'
  default?: boolean
  restrictedToWorkflows?: boolean
  selectedRepositories?: string[]
}

export interface AppIdentity {
  id: number
  clientId: string
  slug: string
  privateKey: string
}

export interface FakeGitHub {
  /** Base URL without a trailing slash, including the GHES prefix when one was asked for. */
  url: string
  app: AppIdentity
  addInstallation(i: AddInstallation): Installation
  requests: RecordedRequest[]
  tokens: Map<string, IssuedToken>
  /** The fake server clock is Date.now() + clockSkewMs. */
  clockSkewMs: number
  /** Every response leaves this long after its request arrived (the fake's own work included). */
  latencyMs: number
  inject(rule: FaultRule): void
  addRunnerGroup(org: string, g: AddRunnerGroup): RunnerGroup
  runners: RunnerRecord[]
  setRunner(id: number, patch: Partial<Pick<RunnerRecord, 'status' | 'busy'>>): RunnerRecord
  removeRunner(id: number): void
  close(): Promise<void>
}
