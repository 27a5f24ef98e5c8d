import { cancellationOf, type Cancellation } from './cancellation.js'
import { readKeyFile } from '../key/read-key-file.js'
import type { Log } from '../log.js'
import { findRunnerWorker } from '../refresher-control/find-runner-worker.js'
import { createGitHubClients, type GitHubClients } from '../transport/create-github-clients.js'
import { PRODUCTION_HTTP, type HttpSettings } from '../transport/http-settings.js'
import type { ServerClock } from '../transport/server-clock.js'

/** Where the work runs: the action reads it from the runner, another front end from its own. */
export interface RunInfo {
  /** 'owner/name', or undefined outside a repository's workflow. */
  repository?: string
  serverUrl: string
  apiUrl: string
  runId: string
  runAttempt: string
  /** RUNNER_TEMP: where token files go. */
  runnerTemp?: string
  /** GITHUB_WORKSPACE: where credentials must never be written. */
  workspace?: string
  /** The environment, for what later steps inherit (GIT_CONFIG_*, proxy settings). */
  environment?: Readonly<Record<string, string | undefined>>
}

/**
 * Every side effect the library has, passed in (octokit/auth-app's injected `request` and `log`):
 * no module of src/lib reads the environment, the clock or the runner's protocol by itself.
 */
export interface Deps {
  log: Log
  run: RunInfo
  now: () => number
  /** The text of a key file: a regular file only, read with a bound (see readKeyFile). */
  readKeyFile: (path: string) => string
  /** The GitHub clients, built once: they own base URL, proxy, timeouts, retries and the budget. */
  github: GitHubClients
  /** The runner's worker among this process's ancestors (see findRunnerWorker), or undefined. */
  findRunnerWorker: () => number | undefined
  /** SIGINT and SIGTERM, which withRollback answers by undoing. */
  cancellation: Cancellation
  /** An OIDC token of the job for this audience, for a broker (the action's core.getIDToken). */
  idToken?: (audience: string) => Promise<string>
}

/** Deps from their parts; what is not given is the real thing. */
export function createDeps(parts: {
  log: Log
  run: RunInfo
  http?: HttpSettings
  now?: () => number
  readKeyFile?: (path: string) => string
  /** GitHub's clock minus ours, learned by an earlier process (the refresher's start). */
  clockOffsetMs?: number
  /** A clock to share with other deps of the process (the refresher's attempts); wins. */
  clock?: ServerClock
  findRunnerWorker?: () => number | undefined
  cancellation?: Cancellation
  idToken?: (audience: string) => Promise<string>
}): Deps {
  const now = parts.now ?? (() => Date.now())
  return {
    log: parts.log,
    run: parts.run,
    now,
    readKeyFile: parts.readKeyFile ?? readKeyFile,
    findRunnerWorker: parts.findRunnerWorker ?? (() => findRunnerWorker()),
    github: createGitHubClients({
      log: parts.log,
      now,
      http: parts.http ?? PRODUCTION_HTTP,
      clockOffsetMs: parts.clockOffsetMs,
      clock: parts.clock
    }),
    cancellation: parts.cancellation ?? cancellationOf(process),
    idToken: parts.idToken
  }
}
