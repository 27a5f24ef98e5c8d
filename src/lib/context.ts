import type * as actionsCore from '@actions/core'
import type { context as actionsContext } from '@actions/github'
import { createGitHubClients, type GitHubClients } from './transport/create-github-clients.js'
import type { ServerClock } from './transport/server-clock.js'
import { cancellationOf, type Cancellation } from './handoff/cancellation.js'
import { proxyFetchFor } from './transport/proxy-fetch-for.js'
import { readKeyFile } from './key/read-key-file.js'
import { findRunnerWorker } from './refresher-control/find-runner-worker.js'

/** A job-summary table row: header cells name the row, the rest are plain text. */
export type SummaryRow = (string | { data: string; header?: boolean })[]

/** The part of @actions/core's `summary` builder that mint-token uses. */
export interface Summary {
  addHeading(text: string, level?: number | string): Summary
  addTable(rows: SummaryRow[]): Summary
  /** Text or HTML as is (the caller escapes it), then a line break when addEOL. */
  addRaw(text: string, addEOL?: boolean): Summary
  write(): Promise<unknown>
}

/**
 * What the action does to the runner (inputs, masking, outputs, state, log, summary), shaped as
 * @actions/core so that core itself is the production value. Another front end (a command line)
 * brings its own implementation; nothing in the minting code knows which one it talks to.
 */
export type Core = Pick<
  typeof actionsCore,
  | 'getInput'
  | 'getBooleanInput'
  | 'getMultilineInput'
  | 'setSecret'
  | 'setOutput'
  | 'exportVariable'
  | 'addPath'
  | 'saveState'
  | 'getState'
  | 'info'
  | 'warning'
  | 'error'
  | 'notice'
  | 'debug'
  | 'startGroup'
  | 'endGroup'
  | 'setFailed'
> & { summary: Summary }

/** Where this job runs: from @actions/github's `context` in production. */
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
  /** The step's environment, for what later steps inherit (GIT_CONFIG_*, proxy settings). */
  environment?: Readonly<Record<string, string | undefined>>
}

type Fetch = (url: string, init?: RequestInit) => Promise<Response>

/** How every request to GitHub behaves; one place, so tests can shrink the waits. */
export interface HttpSettings {
  /** The fetch for one API URL: the toolkit's proxy rules depend on the destination. */
  fetchFor: (apiUrl: string) => Fetch
  /** No single attempt may take longer than this: a hung connection must not hang the job. */
  timeoutMs: number
  /** Retries after the first attempt, for 5xx and network errors. */
  retries: number
  /** Back-off unit: waits are base × 1, base × 4, … */
  retryBaseMs: number
  /** Nothing is attempted after this long from the first request, so retries stay bounded. */
  budgetMs: number
  /** Rate-limit waits longer than this are not waited out. */
  maxRetryAfterSeconds: number
  /**
   * Clean-up (removing a half-registered runner, revoking the intermediate token) has a deadline
   * of its own, this long from its first request: a step that spent its budget on retries must
   * still undo what it did, and the clean-up must not hang the job either.
   */
  cleanupBudgetMs: number
  /** A clean-up attempt's timeout: short, so that a hung attempt leaves time for a retry. */
  cleanupTimeoutMs: number
}

export interface Context {
  core: Core
  run: RunInfo
  now: () => number
  /** The text of 'private-key-file': a regular file only, read with a bound (see readKeyFile). */
  readKeyFile: (path: string) => string
  /** The GitHub clients, built once: they own base URL, proxy, timeouts, retries and the budget. */
  github: GitHubClients
  /** The runner's worker among this step's ancestors (see findRunnerWorker), or undefined. */
  findRunnerWorker: () => number | undefined
  /** The runner's cancel (SIGINT, SIGTERM), which withRollback answers by undoing. */
  cancellation: Cancellation
}

export const PRODUCTION_HTTP: HttpSettings = {
  fetchFor: proxyFetchFor,
  timeoutMs: 10_000,
  retries: 2,
  retryBaseMs: 1_000,
  budgetMs: 25_000,
  maxRetryAfterSeconds: 10,
  cleanupBudgetMs: 10_000,
  cleanupTimeoutMs: 4_000
}

/** A context from its parts; the entries pass @actions/core and @actions/github's context. */
export function createContext(parts: {
  core: Core
  run: RunInfo
  http?: HttpSettings
  now?: () => number
  readKeyFile?: (path: string) => string
  /** GitHub's clock minus the runner's, learned by an earlier process (the refresher's start). */
  clockOffsetMs?: number
  /** A clock to share with other contexts of the process (the refresher's attempts); wins. */
  clock?: ServerClock
  findRunnerWorker?: () => number | undefined
  cancellation?: Cancellation
}): Context {
  const now = parts.now ?? (() => Date.now())
  const http = parts.http ?? PRODUCTION_HTTP
  return {
    core: parts.core,
    run: parts.run,
    now,
    readKeyFile: parts.readKeyFile ?? readKeyFile,
    findRunnerWorker: parts.findRunnerWorker ?? (() => findRunnerWorker()),
    github: createGitHubClients({
      core: parts.core,
      now,
      http,
      clockOffsetMs: parts.clockOffsetMs,
      clock: parts.clock
    }),
    cancellation: parts.cancellation ?? cancellationOf(process)
  }
}

/** The job's facts as @actions/github's context reads them from the runner's environment. */
export function runInfoOf(context: typeof actionsContext): RunInfo {
  let repository: string | undefined
  try {
    repository = `${context.repo.owner}/${context.repo.repo}`
  } catch {
    // context.repo throws without GITHUB_REPOSITORY: then there is no repository to default to.
  }
  const number = (value: number, fallback: string) =>
    Number.isFinite(value) ? String(value) : fallback
  return {
    repository,
    serverUrl: context.serverUrl,
    apiUrl: context.apiUrl,
    runId: number(context.runId, 'local'),
    runAttempt: number(context.runAttempt, '1'),
    // The toolkit's context has no runner paths; they are the runner's own variables.
    runnerTemp: process.env.RUNNER_TEMP || undefined,
    workspace: process.env.GITHUB_WORKSPACE || undefined,
    environment: process.env
  }
}
