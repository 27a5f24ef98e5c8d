import type { InstallationToken } from '../lib/installation/create-installation-token.js'
import type { QuietLog } from './quiet-log.js'
import type { RefreshTime } from './refresh-time.js'
import type { RefresherConfig } from '../lib/refresher-control/refresher-config.js'
import type { RefresherRequests } from './refresher-requests.js'
import type { StatusRecorder } from './status-recorder.js'
import type { TokenFileGuard } from './token-file-guard.js'

/** What the refresh loop works with; none of it changes while it runs. */
export interface RefreshDeps {
  config: RefresherConfig
  /** Mint and revoke, on GitHub (the key is inside). */
  requests: RefresherRequests
  /** GitHub's clock for schedules and expiry, the runner's monotonic one for the floor. */
  time: RefreshTime
  log: QuietLog
  status: StatusRecorder
  /** The token file, replaced at each refresh: a file put in its place is never written. */
  tokenFile: TokenFileGuard
  signal: AbortSignal
}

/** The token in the file, in ms since the epoch on GitHub's clock. */
export interface CurrentToken {
  token: string
  mintedAt: number
  expiresAt: number
}

/** What the loop remembers between its turns. */
export interface RefreshLoopState {
  current: CurrentToken
  /** Replaced tokens, each revoked at its time (see revokeAtFor). */
  pending: { token: string; revokeAt: number }[]
  /** Refreshes failed in a row, for the back-off. */
  failures: number
  /** GitHub's time when the next refresh is due (the floor may hold it back: see attemptAt). */
  nextAttemptAt: number
  /** When (monotonic) the last attempt that minted, or may have, started. */
  lastMintAt?: number
  /** A mint still under way when the stop came: its token never reaches the file. */
  inFlight?: Promise<InstallationToken>
}
