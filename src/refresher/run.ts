import { createPrivateKey } from 'node:crypto'
import { tokenHash } from '../lib/installation/token-hash.js'
import { keySecretLines } from '../lib/key/key-secret-lines.js'
import { systemClock, type Clock } from '../lib/refresher-control/clock.js'
import { readCurrentToken } from '../lib/refresher-control/read-current-token.js'
import type { RefreshStatus } from '../lib/refresher-control/refresh-status.js'
import type { RefresherConfig } from '../lib/refresher-control/refresher-config.js'
import {
  tokenFileIdentity,
  type FileIdentity
} from '../lib/refresher-control/token-file-identity.js'
import { parseRefresherConfig, readStdin } from './config.js'
import { runRefreshLoop } from './loop.js'
import { createRefresherRequests } from './requests.js'
import {
  createQuietLog,
  createStatusRecorder,
  reportStartFailure,
  type QuietLog
} from './status.js'
import { createStopSignal } from './stop-signal.js'
import { createRefreshTime } from './time.js'
import type { RefreshDeps } from './turn.js'
import { guardTokenFile } from './token-file.js'

/** What the refresher takes from its process: a test passes its own, on a fake clock. */
export interface RefresherProcess {
  clock: Clock
  /** Aborts when the process is told to stop (the post step's SIGTERM). */
  terminate: AbortSignal
  /** The configuration document (the process's stdin). */
  readConfig(): Promise<string>
}

/**
 * The token refresher's process (dist/refresh, started by startRefresher): reads its
 * configuration from stdin, then keeps the token file fresh until it is stopped. It prints
 * nothing, ever: its stdout and stderr are closed, and everything worth knowing goes to the
 * status file. Exit code 0 after a stop, 2 when it could not start. The real clock is built here.
 */
export async function run(): Promise<void> {
  const terminate = new AbortController()
  const onTerm = () => terminate.abort()
  process.on('SIGTERM', onTerm)
  const clock = systemClock()
  try {
    process.exitCode = await runRefresher({
      clock,
      terminate: terminate.signal,
      readConfig: () => readStdin(process.stdin, clock)
    })
  } finally {
    process.off('SIGTERM', onTerm)
  }
}

/** The refresher from its configuration to its stop; the exit code. */
export async function runRefresher(from: RefresherProcess): Promise<number> {
  let statusFile: string | undefined
  try {
    const parsed = parseRefresherConfig(await from.readConfig())
    if (!parsed.ok) {
      statusFile = parsed.statusFile
      throw new Error(parsed.problem)
    }
    statusFile = parsed.config.statusFile
    return await refresh(parsed.config, from)
  } catch (error) {
    reportStartFailure(statusFile, error, from.clock.now)
    return 2
  }
}

async function refresh(config: RefresherConfig, from: RefresherProcess): Promise<number> {
  const log = createQuietLog(from.clock.now)
  const identity = tokenFileIdentity(config.tokenFile)
  const token = readCurrentToken(config.tokenFile, identity)
  log.mask(token)
  // The key is in no message either; masked line by line all the same, as the runner would.
  for (const line of keySecretLines(config.privateKey ?? '')) log.mask(line)
  // The broker's way: the runner's request token mints OIDC tokens for the job, a secret too.
  if (config.broker) log.mask(config.broker.idTokenService.token)
  const { deps, dispose } = refreshDeps(
    config,
    from,
    log,
    identity,
    firstStatus(config, token, identity)
  )
  const current = {
    token,
    mintedAt: Date.parse(config.mintedAt),
    expiresAt: Date.parse(config.expiresAt)
  }
  try {
    await runRefreshLoop(deps, current)
    return 0
  } catch (error) {
    // It did start: record the failure through the quiet log, which masks what it holds (the
    // start-up report only neutralizes, as it runs before any secret is known).
    deps.status.update(() => ({ state: 'stopped', lastError: log.clean(error) }))
    return 1
  } finally {
    dispose()
  }
}

/** What the loop works with, all on the process's clock; `dispose` stops the watchers. */
function refreshDeps(
  config: RefresherConfig,
  from: RefresherProcess,
  log: QuietLog,
  identity: FileIdentity,
  initial: Partial<RefreshStatus>
): { deps: RefreshDeps; dispose: () => void } {
  const { clock } = from
  const privateKey = config.privateKey
    ? createPrivateKey({ key: config.privateKey, format: 'pem' })
    : undefined
  const deadline = Date.parse(config.deadline)
  const stop = createStopSignal({
    terminate: from.terminate,
    workerPid: config.workerPid,
    deadline,
    clock
  })
  const tokenFile = guardTokenFile(config.tokenFile, identity, clock)
  const status = createStatusRecorder(config.statusFile, log, clock.now, initial)
  // GitHub's time, from the offset the main step learned; every reply from here on updates it.
  const time = createRefreshTime(config.clockOffsetMs, clock)
  const requests = createRefresherRequests(config, privateKey, log, {
    server: time.server,
    now: clock.now
  })
  const signal = AbortSignal.any([stop.signal, tokenFile.signal])
  const dispose = () => {
    stop.dispose()
    tokenFile.dispose()
  }
  return { deps: { config, requests, time, log, status, tokenFile, signal }, dispose }
}

/** The main step's token is the current one: its hash, and the file it is in, for the post step. */
function firstStatus(
  config: RefresherConfig,
  token: string,
  identity: FileIdentity
): Partial<RefreshStatus> {
  const hash = tokenHash(token)
  return { expiresAt: config.expiresAt, tokenHashes: [hash], current: { hash, ...identity } }
}
