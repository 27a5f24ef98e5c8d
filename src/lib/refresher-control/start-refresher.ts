import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { dirname } from 'node:path'
import type { Writable } from 'node:stream'
import { systemClock, type Clock } from './clock.js'
import { refresherEnv } from './refresher-env.js'
import type { RefresherConfig } from './refresher-config.js'
import { refresherCommand } from './refresher-command.js'
import { waitForRefresher } from './wait-for-refresher.js'

export interface StartRefresherOptions {
  /** dist/refresh/index.js: the main step passes the path next to its own bundle. */
  script: string
  /** The node to run it with; by default the one running the main step. */
  execPath?: string
  /** Where the kept variables come from (see refresherEnv); by default process.env. */
  env?: NodeJS.ProcessEnv
  /** How long the refresher may take to report that it runs (default 5 s). */
  startTimeoutMs?: number
  /** The deadline's and the start's clock; the real one by default. */
  clock?: Pick<Clock, 'now' | 'sleep'>
}

/** What the post step needs to stop the refresher and read its status: save it as state. */
export interface RefresherHandle {
  pid: number
  nonce: string
  statusFile: string
}

/** GitHub-hosted jobs end after 6 hours: no refresher outlives one. */
const HARD_DEADLINE_MS = 6 * 60 * 60_000

/**
 * Starts the token refresher: `node --disable-sigusr1 <script> --mint-token-refresher <nonce>`
 * with core dumps off (see refresherCommand), detached (its own session, so a cancel's signals to
 * the step's process group do not reach it, and the step can exit), with stdout and stderr on
 * /dev/null (it holds none of the runner's pipes), a minimal environment, and its private
 * directory (the status file's) as working directory: not the workspace, where anything it might
 * write (a crash report) would reach the job's later steps, caches and artifacts. The configuration, private key included, goes down the stdin pipe, which is then
 * closed. Resolves once the refresher reports that it runs; rejects with its reason otherwise,
 * after making sure it is gone.
 */
export async function startRefresher(
  config: Omit<RefresherConfig, 'deadline'> & { deadline?: string },
  options: StartRefresherOptions
): Promise<RefresherHandle> {
  const nonce = randomBytes(16).toString('hex')
  const clock = options.clock ?? systemClock()
  const deadline = config.deadline ?? new Date(clock.now() + HARD_DEADLINE_MS).toISOString()
  const { command, args } = refresherCommand(
    options.execPath ?? process.execPath,
    options.script,
    nonce
  )
  const child = spawn(command, args, {
    cwd: dirname(config.statusFile),
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    env: refresherEnv(options.env ?? process.env)
  })
  const pid = await spawned(child)
  child.unref()
  // A refresher that exits at once closes the pipe early (EPIPE): its status file says why.
  await writeAndClose(child.stdin, JSON.stringify({ ...config, deadline })).catch(() => {})
  await waitForRefresher(config.statusFile, pid, options.startTimeoutMs ?? 5_000, clock)
  return { pid, nonce, statusFile: config.statusFile }
}

function spawned(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('spawn', () => {
      child.off('error', reject)
      // Later errors (the pipe's) are handled by writeAndClose; none may crash the step.
      child.on('error', () => {})
      resolve(child.pid!)
    })
  })
}

function writeAndClose(stdin: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stdin.once('error', reject)
    stdin.end(text, () => resolve())
  })
}
