import type { GitHub } from '@actions/github/lib/utils'
import type { Log } from '../log.js'
import type { HttpSettings } from './http-settings.js'
import type { ServerClock } from './server-clock.js'

/** @actions/github's Octokit: core with the REST endpoint methods and pagination plugins. */
export type GitHubClient = InstanceType<typeof GitHub>

/**
 * What every client of one step shares: the logger, the runner's clock (for timeouts and
 * budgets), GitHub's clock (learned from every reply), the settings, one deadline.
 */
export interface ClientDeps {
  log: Log
  now: () => number
  clock: ServerClock
  http: HttpSettings
  deadline: { at?: number }
}

export type ClientAuth =
  | { token: string }
  | { app: { appId: number | string; privateKey: string; timeDifference?: number } }
