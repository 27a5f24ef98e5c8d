/** Public shapes of the fake GitHub API; the server, the routes and the tests share them. */
import type { TokenFormat } from './random.js'

export type { TokenFormat } from './random.js'
export type Level = 'read' | 'write' | 'admin'

export interface Installation {
  id: number
  account: { login: string; id: number; type: 'Organization' | 'User' | 'Enterprise' }
  repositorySelection: 'all' | 'selected'
  repositories: string[]
  permissions: Record<string, Level>
  createdAt: string
  /** The format of the tokens minted for it. */
  tokenFormat: TokenFormat
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
  /** The request's headers (names in lower case), without `authorization`: `auth` says its kind. */
  headers: Record<string, string>
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
  /** Answered at once (a mint mints), but the reply leaves only once the promise settles. */
  | { holdReplyUntil: Promise<unknown> }

/** Which requests a fault or hook applies to: no method or path means any. */
export interface RequestMatch {
  method?: string
  /** The path without the GHES prefix or query: exactly this string, or a pattern. */
  path?: string | RegExp
}

export interface FaultRule extends RequestMatch {
  times?: number
  fault: Fault
}

/** A callback run when a matching request arrives, before faults and before it is answered. */
export interface RequestHook extends RequestMatch {
  /** How many matching requests it runs for (default 1). */
  times?: number
  run(request: RecordedRequest): void
}

/** A runner to seed; everything but the name and scope has a GitHub-like default. */
export interface AddRunner {
  name: string
  scope: RunnerScope
  /** Default ['self-hosted']. */
  labels?: string[]
  /** Default 'offline', as a registered runner that never connected. */
  status?: 'online' | 'offline'
  /** Default false. */
  busy?: boolean
  /** Default 1, the default group. */
  runnerGroupId?: number
  /** Default 'linux'. */
  os?: string
}

export interface AddInstallation {
  id?: number
  account: string
  /** 'Enterprise': `account` is the enterprise's slug (its installation grants enterprise permissions). */
  accountType?: 'Organization' | 'User' | 'Enterprise'
  repositorySelection?: 'all' | 'selected'
  repositories: string[]
  permissions: Record<string, Level>
  /** Default 'stateless', GitHub's format since April 2026; 'classic' is the 40-character one. */
  tokenFormat?: TokenFormat
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
  /** How long minted installation tokens live (default 3600 s, GitHub's hour). */
  tokenLifetimeMs: number
  /**
   * Whether X-GitHub-Stateless-S2S-Token chooses a mint's format (default true); false: the
   * header is ignored, as by a server that predates it (or after GitHub retires it).
   */
  knowsFormatHeader: boolean
  /**
   * Whether GET /enterprises/{enterprise}/installation exists (default true); false: a server
   * that predates it (an older GHES) answers 404, as for any unknown route.
   */
  knowsEnterpriseEndpoint: boolean
  inject(rule: FaultRule): void
  addRunnerGroup(org: string, g: AddRunnerGroup): RunnerGroup
  runners: RunnerRecord[]
  /** Seeds a runner as if registered; its name must be new in its scope (as GitHub's 409). */
  addRunner(r: AddRunner): RunnerRecord
  setRunner(
    id: number,
    patch: Partial<Pick<RunnerRecord, 'status' | 'busy' | 'labels'>>
  ): RunnerRecord
  removeRunner(id: number): void
  /** Runs `hook.run` when a matching request arrives, e.g. to change a runner mid-sequence. */
  onRequest(hook: RequestHook): void
  close(): Promise<void>
}
