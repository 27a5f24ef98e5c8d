import { createPrivateKey } from 'node:crypto'
import { tokenHash } from '../lib/installation/token-hash.js'
import { keySecretLines } from '../lib/key/key-secret-lines.js'
import { createQuietLog } from './quiet-log.js'
import { createStopSignal } from './create-stop-signal.js'
import { parseRefresherConfig } from './parse-refresher-config.js'
import { readCurrentToken } from '../lib/refresher-control/read-current-token.js'
import { readStdin } from './read-stdin.js'
import { createRefreshTime } from './refresh-time.js'
import type { RefreshStatus } from '../lib/refresher-control/refresh-status.js'
import type { RefresherConfig } from '../lib/refresher-control/refresher-config.js'
import { createRefresherRequests } from './refresher-requests.js'
import { reportStartFailure } from './report-start-failure.js'
import { runRefreshLoop } from './run-refresh-loop.js'
import { createStatusRecorder } from './status-recorder.js'
import { guardTokenFile } from './token-file-guard.js'
import {
  tokenFileIdentity,
  type FileIdentity
} from '../lib/refresher-control/token-file-identity.js'

/**
 * The token refresher's process (dist/refresh, started by startRefresher): reads its
 * configuration from stdin, then keeps the token file fresh until it is stopped. It prints
 * nothing, ever: its stdout and stderr are closed, and everything worth knowing goes to the
 * status file. Exit code 0 after a stop, 2 when it could not start.
 */
export async function run(): Promise<void> {
  let statusFile: string | undefined
  try {
    const parsed = parseRefresherConfig(await readStdin(process.stdin))
    if (!parsed.ok) {
      statusFile = parsed.statusFile
      throw new Error(parsed.problem)
    }
    statusFile = parsed.config.statusFile
    await refresh(parsed.config)
  } catch (error) {
    reportStartFailure(statusFile, error)
    process.exitCode = 2
  }
}

async function refresh(config: RefresherConfig): Promise<void> {
  const log = createQuietLog()
  const identity = tokenFileIdentity(config.tokenFile)
  const token = readCurrentToken(config.tokenFile, identity)
  log.mask(token)
  // The key is in no message either; masked line by line all the same, as the runner would.
  for (const line of keySecretLines(config.privateKey)) log.mask(line)
  const privateKey = createPrivateKey({ key: config.privateKey, format: 'pem' })
  const stop = createStopSignal({
    workerPid: config.workerPid,
    deadline: Date.parse(config.deadline)
  })
  const tokenFile = guardTokenFile(config.tokenFile, identity)
  const status = createStatusRecorder(config.statusFile, log, firstStatus(config, token, identity))
  // GitHub's time, from the offset the main step learned; every reply from here on updates it.
  const time = createRefreshTime(config.clockOffsetMs)
  const requests = createRefresherRequests(config, privateKey, log, time.server)
  const current = {
    token,
    mintedAt: Date.parse(config.mintedAt),
    expiresAt: Date.parse(config.expiresAt)
  }
  try {
    await runRefreshLoop(
      {
        config,
        requests,
        time,
        log,
        status,
        tokenFile,
        signal: AbortSignal.any([stop.signal, tokenFile.signal])
      },
      current
    )
  } catch (error) {
    // It did start: record the failure through the quiet log, which masks what it holds (the
    // start-up report only neutralizes, as it runs before any secret is known).
    status.update(() => ({
      state: 'stopped',
      lastError: log.clean(error instanceof Error ? error.message : error)
    }))
    process.exitCode = 1
  } finally {
    stop.dispose()
    tokenFile.dispose()
  }
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
