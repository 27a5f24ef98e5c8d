import type { HandoffSettings } from '../requests.js'
import { existsSync, lstatSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Deps } from '../seam/deps.js'
import { gitCredentialEnv } from '../git/git-credential-env.js'
import { originOf } from '../git/origin-of.js'
import type { RefresherConfig } from '../refresher-control/refresher-config.js'
import { startRefresher, type RefresherHandle } from '../refresher-control/start-refresher.js'
import { stopRefresher } from '../refresher-control/stop-refresher.js'
import { neutralize } from '../text/neutralize.js'
import { removeTokenFile } from './remove-token-file.js'
import { serverUrlFor } from './server-url.js'
import { writeTokenFile, type TokenFile } from './write-token-file.js'
import { TOKEN_READER, writeTokenReader } from './write-token-reader.js'

/** A file this step wrote, and which file it is: the post step removes only that very file. */
export interface FileState extends TokenFile {
  dev: number
  ino: number
}

/** What the post step undoes; nothing in it is secret. */
export interface HandoffState {
  file?: FileState
  /** The token reader (mint-token-read) beside a token file, and its directory. */
  reader?: FileState
  refresher?: RefresherHandle & { dir: string }
  git?: { undo: Record<string, string>; file?: FileState }
}

export interface HandedOff {
  outputs: Record<string, string>
  /** Variables for the later steps of the job (GITHUB_ENV). */
  exports: Record<string, string>
  /** Directories for the later steps' PATH (GITHUB_PATH). */
  paths: string[]
  state: HandoffState
  rows: [string, string][]
}

/** Steps that undo what was done so far, run last-first if the main step fails. */
export type Undo = (() => unknown)[]

export interface HandoffRequest {
  inputs: HandoffSettings
  secret: string
  apiUrl: string
  /** For 'token-refresh': how to mint the same token again. */
  refresh?: Omit<RefresherConfig, 'tokenFile' | 'statusFile' | 'deadline' | 'clockOffsetMs'>
}

/**
 * Hands the minted credential to the work: the token file, its refresher, git's credential
 * helper and the variables for later steps. Each effect pushes its own undo first, so a failure
 * anywhere leaves nothing behind. The variables are only returned: the caller exports them last.
 */
export async function handOff(ctx: Deps, request: HandoffRequest, undo: Undo): Promise<HandedOff> {
  const { inputs, secret } = request
  const handed: HandedOff = { outputs: {}, exports: {}, paths: [], state: {}, rows: [] }
  if (inputs.tokenFile) {
    const file = writeFile(ctx, inputs.tokenFile, secret, undo)
    handed.state.file = file
    handed.outputs['token-file'] = file.path
    handed.rows.push(['Token file', file.path])
    // The path is the workflow's input: no control character of it reaches the log.
    ctx.log.info(
      `Wrote the credential to ${neutralize(file.path)} (mode 0600); the post step deletes it.`
    )
    handOffReader(ctx, file.path, handed, undo)
  }
  if (inputs.refresh && handed.state.file && request.refresh) {
    handed.state.refresher = await startRefresh(ctx, request.refresh, handed.state.file, undo)
    handed.rows.push(['Refresh', 'in the background, until the post step'])
    ctx.log.info(`Started the token refresher (pid ${handed.state.refresher.pid}).`)
    ctx.log.info(refresherStopsWhen(request.refresh.workerPid))
  }
  if (inputs.gitCredentials) configureGit(ctx, request, handed, undo)
  for (const name of inputs.exportEnv) handed.exports[name] = secret
  if (inputs.exportEnv.length > 0)
    handed.rows.push(['Exported to later steps', inputs.exportEnv.join(', ')])
  return handed
}

/** The reader goes on the later steps' PATH: it masks each token it prints, refreshed or not. */
function handOffReader(ctx: Deps, tokenFile: string, handed: HandedOff, undo: Undo): void {
  const reader = writeTokenReader(tokenFile, ctx.run.runnerTemp, undo)
  handed.state.reader = reader
  handed.paths.push(dirname(reader.path))
  handed.outputs['token-reader'] = reader.path
  ctx.log.info(
    `Put ${TOKEN_READER} on the PATH of the later steps: it prints the token from the file, masked in the log.`
  )
}

function writeFile(
  ctx: Deps,
  spec: NonNullable<HandoffSettings['tokenFile']>,
  secret: string,
  undo: Undo
): FileState {
  const places = { runnerTemp: ctx.run.runnerTemp, workspace: ctx.run.workspace }
  const file = writeTokenFile(spec, secret, places)
  undo.push(() => removeTokenFile(file))
  const { dev, ino } = lstatSync(file.path)
  return { ...file, dev, ino }
}

async function startRefresh(
  ctx: Deps,
  refresh: NonNullable<HandoffRequest['refresh']>,
  file: FileState,
  undo: Undo
): Promise<NonNullable<HandoffState['refresher']>> {
  // Its status file lives apart from the token file, whose directory may be mounted elsewhere.
  const dir = mkdtempSync(join(ctx.run.runnerTemp ?? tmpdir(), 'mint-token-refresh-'))
  undo.push(() => removeTokenFile({ path: join(dir, 'status.json'), createdDirs: [dir] }))
  const config = {
    ...refresh,
    tokenFile: file.path,
    statusFile: join(dir, 'status.json'),
    // What this step learned of GitHub's clock: the refresher schedules in GitHub's time at once.
    clockOffsetMs: ctx.github.clock.offsetMs()
  }
  const starting = startRefresher(config, { script: refresherScript() })
  // Before the start settles: a cancel meanwhile must stop the refresher once it runs (a failed
  // start leaves no process, see startRefresher).
  undo.push(() => starting.then(stopRefresher, () => 'not running'))
  return { ...(await starting), dir }
}

/** What ends the refresher, for the log: a pid of the runner's worker is no secret. */
function refresherStopsWhen(workerPid: number | undefined): string {
  return workerPid === undefined
    ? "No runner worker (Runner.Worker) is among this step's ancestors (a container job, or a wrapper): the refresher stops with the post step, at the runner's clean-up of orphan processes, or after 6 hours."
    : `The refresher stops with the post step, when the runner's worker (pid ${workerPid}) ends, or after 6 hours.`
}

/** dist/refresh/index.js, next to the bundle that runs this step (dist/main/index.js). */
function refresherScript(): string {
  const script = join(dirname(process.argv[1] ?? ''), '..', 'refresh', 'index.js')
  if (!existsSync(script)) {
    throw new Error(
      "'token-refresh' needs the bundled refresher (dist/refresh/index.js) next to this step's bundle; run the action from its dist/ (as the runner does)."
    )
  }
  return script
}

/** git asks the helper at every use; it reads the token file, so refreshes are picked up. */
function configureGit(ctx: Deps, request: HandoffRequest, handed: HandedOff, undo: Undo) {
  const origin = originOf(serverUrlFor(ctx.run, request.apiUrl), { name: 'The server URL' })
  let file = handed.state.file
  let own: FileState | undefined
  if (!file) file = own = writeFile(ctx, { kind: 'temp' }, request.secret, undo)
  const env = gitCredentialEnv({
    origin,
    tokenFile: file.path,
    environment: ctx.run.environment ?? {}
  })
  Object.assign(handed.exports, env.exported)
  handed.state.git = { undo: env.undo, file: own }
  handed.rows.push(['Git credentials', `${origin}, until the post step`])
  ctx.log.info(`Configured git to authenticate to ${origin} with the token, for the later steps.`)
}
