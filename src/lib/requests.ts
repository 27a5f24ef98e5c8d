import type { KeyObject } from 'node:crypto'
import type { RequestFields } from './field.js'

/**
 * What a front end asks the library for, typed and already checked: the action builds these from
 * its inputs (src/action/inputs), the command line from its flags. Nothing here is an input name.
 */

/** A caller-signed App JWT, checked (see checkAppJwt): GitHub verifies its signature. */
export interface GivenAppJwt {
  jwt: string
  /** Its `iss`: the App ID or Client ID GitHub takes it for. */
  issuer: string
  /** Its `exp`, in ms since the epoch. */
  expiresAt: number
}

/**
 * The App: its key, which signs each JWT here, or one JWT signed elsewhere (a KMS, an HSM) that
 * serves every App request until it expires.
 */
export type AppCredentials =
  | {
      /** The numeric App ID or the Client ID: GitHub accepts either as the JWT issuer. */
      appId: string
      privateKey: KeyObject
    }
  | { appId: string; jwt: GivenAppJwt }

/** Whose installation, and which of its repositories. */
export interface Target {
  /** An account's login, or with `enterprise` the enterprise's slug. */
  owner: string
  /** The installation is the App's on the enterprise `owner` (it has no repositories). */
  enterprise?: true
  /** undefined: every repository the owner's installation can see. */
  repositories?: string[]
}

/** Where a runner registers: GitHub's runner APIs exist per organization and per repository. */
export type RunnerScope =
  { kind: 'org'; org: string } | { kind: 'repo'; owner: string; repo: string }

export type RunnerCleanup = 'never' | 'if-unused' | 'always'

/** How a just-in-time runner is configured, and whether the post step removes it. */
export interface JitSettings {
  labels: string[]
  /** A group ID, a group name to resolve, or undefined for the default group. */
  group?: number | string
  name?: string
  namePrefix: string
  workFolder: string
  cleanup: RunnerCleanup
}

/** Where the minted credential goes besides the result: a file, later steps, git. */
export interface HandoffSettings {
  /** 'temp': a new private directory under RUNNER_TEMP; else the path as given. */
  tokenFile?: { kind: 'temp' } | { kind: 'path'; path: string }
  refresh: boolean
  exportEnv: string[]
  gitCredentials: boolean
  botIdentity: boolean
  rateLimit: boolean
}

/**
 * A token broker (`mint-token serve`) that holds the App's key: the request goes there with an
 * OIDC token of the job instead of being signed with a key.
 */
export interface BrokerSource {
  url: string
  policy: string
  /** What the OIDC token's aud names: the broker's URL unless set. */
  audience: string
  /**
   * The runner's OIDC token service (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN), for a process that
   * asks the broker again after the step (the refresher); set only when one will.
   */
  idTokenService?: { url: string; token: string }
}

/** What every request made as the App shares: the App, the installation, the target. */
export interface CommonRequest {
  /** The App's key; absent when `broker` mints instead. */
  app?: AppCredentials
  /** Set: the broker mints, and the App's key stays with it (see src/lib/broker-client). */
  broker?: BrokerSource
  installationId?: number
  target: Target
  apiUrl: string
  summary: boolean
  /** How later messages name the request's parts (ACTION_FIELDS when not given). */
  fields?: RequestFields
}

/** A credential to mint, and where it goes. */
interface MintRequestBase extends CommonRequest {
  handoff: HandoffSettings
}

/**
 * How GitHub writes the installation token: 'stateless' (a JWT of about 520 characters) or
 * 'classic' (`ghs_` and 36 characters). Chosen per mint by a request header; see
 * mintInstallationToken.
 */
export type TokenFormat = 'stateless' | 'classic'

export interface InstallationRequest extends MintRequestBase {
  tokenType: 'installation'
  permissions?: Record<string, string>
  /** undefined: GitHub's choice (its rollout decides), no header sent. */
  tokenFormat?: TokenFormat
  revoke: boolean
}

interface RunnerRequestBase extends MintRequestBase {
  scope: RunnerScope
  /** Where the runner's config.sh --url points: the web server, not the API. */
  runnerUrl: string
}

export interface RunnerRegistrationRequest extends RunnerRequestBase {
  tokenType: 'runner-registration'
}

export interface RunnerJitRequest extends RunnerRequestBase {
  tokenType: 'runner-jit'
  jit: JitSettings
  /** The workflow run the runner is named after (see runnerName). */
  run: { id: string; attempt: string }
}

export type MintRequest = InstallationRequest | RunnerRegistrationRequest | RunnerJitRequest

/** Which runners a scheduled prune touches; see decideRunner. */
export interface RunnerSelection {
  prefix: string
  /** Every one must be on the runner (compared without case, as runs-on does). */
  labels: string[]
  olderThanMs: number
  includeUnknownAge: boolean
}

/** Exactly one runner, named by id or name: the age rules don't apply. */
export type ExplicitRunner = { by: 'id'; id: number } | { by: 'name'; name: string }

interface PruneCommon {
  target: Target
  scope: RunnerScope
  dryRun: boolean
}

export type PruneRequest =
  | (PruneCommon & { kind: 'selection'; selection: RunnerSelection })
  | (PruneCommon & { kind: 'explicit'; runner: ExplicitRunner })
