import { TOKEN_FILE_GONE } from '../lib/refresher-control/refresh-status.js'
import { replaceTokenFile } from './replace-token-file.js'
import { isSameFile, type FileIdentity } from '../lib/refresher-control/token-file-identity.js'

/** How often the refresher looks at the token file between refreshes. */
const POLL_MS = 2_000

/** The token file as the refresher last wrote it, watched for a later step deleting it. */
export interface TokenFileGuard {
  /** Aborts with TOKEN_FILE_GONE once the path no longer holds the file last written. */
  readonly signal: AbortSignal
  /** Whether the path no longer holds it (deleted, or another file or link put there). */
  isGone(): boolean
  /** Looks now, and aborts the signal if it is gone; returns whether it aborted. */
  stopIfGone(): boolean
  /** Puts the token in the file (see replaceTokenFile); throws, and stops if gone, on failure. */
  replace(token: string): FileIdentity
  /** Stops watching, so that the process can exit. */
  dispose(): void
}

/**
 * Watches the token file the refresher keeps current. A later step that deletes it (or puts
 * another file there) ends the hand-off: nobody can read a token from it any more, so minting
 * more would only make live tokens that no one holds. The signal lets the refresher stop within
 * POLL_MS, revoke its current token and exit; the check before each mint means it never mints
 * after the file is gone, however the timers fall.
 */
export function guardTokenFile(
  path: string,
  identity: FileIdentity,
  options: { pollMs?: number } = {}
): TokenFileGuard {
  const controller = new AbortController()
  let current = identity
  const isGone = () => !isSameFile(path, current)
  const stopIfGone = () => {
    if (!controller.signal.aborted && isGone()) controller.abort(TOKEN_FILE_GONE)
    return controller.signal.aborted
  }
  const poll = setInterval(stopIfGone, options.pollMs ?? POLL_MS)
  return {
    signal: controller.signal,
    isGone,
    stopIfGone,
    replace(token) {
      try {
        current = replaceTokenFile(path, token, current)
      } catch (error) {
        stopIfGone()
        throw error
      }
      return current
    },
    dispose: () => clearInterval(poll)
  }
}
