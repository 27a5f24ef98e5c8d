import type * as actionsCore from '@actions/core'
import type { context as actionsContext } from '@actions/github'
import { createDeps, type Deps, type RunInfo } from '../lib/seam/deps.js'
import type { Log } from '../lib/log.js'
import { InputError } from '../lib/input-error.js'
import { neutralize } from '../lib/text/neutralize.js'

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
 * The runner's protocol as the action uses it (inputs, masking, outputs, state, log, summary),
 * shaped as @actions/core so that core itself is the production value and tests pass a plain
 * recording object. Only src/action speaks it; the library gets a Log (see logOf).
 */
export type Core = Pick<
  typeof actionsCore,
  | 'getInput'
  | 'getBooleanInput'
  | 'setSecret'
  | 'setOutput'
  | 'exportVariable'
  | 'addPath'
  | 'saveState'
  | 'getState'
  | 'info'
  | 'warning'
  | 'debug'
  | 'setFailed'
> & { summary: Summary }

/** The library's deps, and the runner's protocol for what only the action does. */
export interface ActionContext extends Deps {
  core: Core
}

/** The library's Log on @actions/core: lines go to the step's log, masks to ::add-mask::. */
export function logOf(core: Core): Log {
  return {
    info: (message) => core.info(message),
    warning: (message) => core.warning(message),
    debug: (message) => core.debug(message),
    mask: (secret) => core.setSecret(secret)
  }
}

/** A context from its parts; the entries pass @actions/core and @actions/github's context. */
export function createActionContext(
  parts: Omit<Parameters<typeof createDeps>[0], 'log'> & { core: Core }
): ActionContext {
  const { core, ...rest } = parts
  return { ...createDeps({ ...rest, log: logOf(core) }), core }
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

/**
 * The job's OIDC token for a broker, from the runner's token service (core.getIDToken, which
 * masks it). Without 'permissions: id-token: write' the runner gives the step no way to ask: the
 * error says so, rather than @actions/core's "Unable to get ACTIONS_ID_TOKEN_REQUEST_URL".
 */
export function idTokenOf(
  core: Pick<typeof actionsCore, 'getIDToken'>,
  env: Readonly<Record<string, string | undefined>> = process.env
): (audience: string) => Promise<string> {
  return async (audience) => {
    if (!env.ACTIONS_ID_TOKEN_REQUEST_URL || !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN)
      throw new InputError(
        "Input 'broker-url' needs the job's OIDC token, and this job may not ask for one: add 'permissions: id-token: write' to the job (pull requests from forks never get it)."
      )
    try {
      return await core.getIDToken(audience)
    } catch (error) {
      throw new Error(
        `Could not get the job's OIDC token for the broker (${neutralize(error instanceof Error ? error.message : String(error), 300)}).`,
        { cause: error }
      )
    }
  }
}
