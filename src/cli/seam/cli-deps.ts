import { createDeps, type Deps, type RunInfo } from '../../lib/seam/deps.js'
import type { CliLog } from './cli-log.js'
import type { Io } from './io.js'

/**
 * The library's deps outside a workflow step: no runner worker to watch, token files relative to
 * the working directory, and no workspace to keep them out of. GITHUB_REPOSITORY (set inside
 * Actions) gives the same default target as the action; elsewhere --owner is required.
 */
export function createCliDeps(io: Io, log: CliLog): Deps & { log: CliLog } {
  const run: RunInfo = {
    repository: io.env.GITHUB_REPOSITORY || undefined,
    serverUrl: io.env.GITHUB_SERVER_URL || 'https://github.com',
    apiUrl: io.env.GITHUB_API_URL || 'https://api.github.com',
    runId: 'cli',
    runAttempt: '1',
    runnerTemp: io.cwd,
    environment: io.env
  }
  const deps = createDeps({ log, run, findRunnerWorker: () => undefined })
  return { ...deps, log }
}
