/**
 * Why the refresher stops: the post step's SIGTERM, the runner's worker gone ('parent gone': the
 * job is over), its deadline, or the token file deleted or replaced (the hand-off is over). The
 * refresher writes one, the post step reads it and words it: listed once, here, for both.
 */
export const TOKEN_FILE_GONE = 'token file gone'
export const STOP_REASONS = ['SIGTERM', 'parent gone', 'deadline', TOKEN_FILE_GONE] as const
export type StopReason = (typeof STOP_REASONS)[number]

/**
 * The refresher's status file (JSON, mode 0600, replaced atomically at each change). It holds
 * no secret: counts, times, and log lines that are masked and neutralized.
 */
export interface RefreshStatus {
  /** The refresher's pid, so a status file is matched to the process that wrote it. */
  pid: number
  /**
   * 'running'; 'stopping' from the stop until its revocations are done; 'stopped' once it exited
   * by itself or was stopped; 'failed' if it never ran.
   */
  state: 'running' | 'stopping' | 'stopped' | 'failed'
  /** Why it stopped: one of STOP_REASONS. */
  stopReason?: string
  startedAt: string
  updatedAt: string
  /** Refreshes that put a new token in the file. */
  refreshes: number
  /** Refresh attempts that failed (the old token stayed in the file), and the last reason. */
  failures: number
  lastError?: string
  /** Replaced tokens revoked, and those whose revocation failed (they expire by themselves). */
  revocations: number
  revocationFailures: number
  /** The expiry of the token now in the file. */
  expiresAt?: string
  /**
   * The hash of each token put in the token file, the main step's first, oldest first: what
   * GitHub's audit log shows as `hashed_token` (see tokenHash). Never a token.
   */
  tokenHashes: string[]
  /** The token now in the file: see CurrentTokenStatus. */
  current?: CurrentTokenStatus
  /** The last log lines (see createQuietLog). */
  log: string[]
}

/**
 * Which token the file holds now, by its hash, and which file holds it: a new one at each refresh
 * (see replaceTokenFile), so the post step knows the file it may read and delete. `revoked` once
 * the refresher revoked it itself (the token file was gone): the post step must not look for it.
 */
export interface CurrentTokenStatus {
  hash: string
  dev: number
  ino: number
  revoked?: boolean
}
