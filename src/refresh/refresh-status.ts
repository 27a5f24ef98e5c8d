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
  /** Why it stopped: 'SIGTERM', 'parent gone' or 'deadline'. */
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
  /** The last log lines (see createQuietCore). */
  log: string[]
}
