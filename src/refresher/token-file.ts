import { randomBytes } from 'node:crypto'
import { closeSync, constants, fstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { every, type Clock } from '../lib/refresher-control/clock.js'
import { TOKEN_FILE_GONE } from '../lib/refresher-control/refresh-status.js'
import { isSameFile, type FileIdentity } from '../lib/refresher-control/token-file-identity.js'

/** How often the refresher looks at the token file between refreshes. */
const POLL_MS = 2_000

const GONE = 'the token file was deleted or replaced by another file; it is left as it is'

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
 * POLL_MS (on the clock), revoke its current token and exit; the check before each mint means it
 * never mints after the file is gone, however the timers fall.
 */
export function guardTokenFile(
  path: string,
  identity: FileIdentity,
  clock: Pick<Clock, 'after'>
): TokenFileGuard {
  const controller = new AbortController()
  let current = identity
  const isGone = () => !isSameFile(path, current)
  const stopIfGone = () => {
    if (!controller.signal.aborted && isGone()) controller.abort(TOKEN_FILE_GONE)
    return controller.signal.aborted
  }
  const dispose = every(clock, POLL_MS, stopIfGone)
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
    dispose
  }
}

/**
 * Replaces the token file atomically: the token goes into a new file (mode 0600, created with
 * O_EXCL and O_NOFOLLOW, so nothing there is followed or reused) in the same directory, which is
 * renamed over the path. Whoever opens the path gets the old file or the new one, each whole:
 * never a mix, an empty or a missing file. (A rewrite in place cannot promise that: a read racing
 * the write may see part of each.) The path then names a new inode, so a container must mount
 * the directory: a single-file bind mount keeps the inode it was given, the first token.
 *
 * Only the file the refresher wrote last (`current`) is replaced: a path deleted, or holding
 * another file or a link, is left as it is. A process that can write the directory could still
 * swap the path between the check and the rename; such a process runs as the job's user and can
 * read the token anyway, and the rename only ever replaces the path, it never writes through a
 * link. Returns the new file's identity: the one to check next time.
 */
export function replaceTokenFile(path: string, token: string, current: FileIdentity): FileIdentity {
  if (!isSameFile(path, current)) throw new Error(GONE)
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`)
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW
  // Opened before the try: a file at that (random) name is not ours to remove.
  const fd = openSync(temporary, flags, 0o600)
  try {
    const identity = writeAndClose(fd, token)
    // Checked again just before the rename: the window above spans a file's creation.
    if (!isSameFile(path, current)) throw new Error(GONE)
    renameSync(temporary, path)
    return identity
  } catch (error) {
    rmSync(temporary, { force: true })
    throw error
  }
}

/** The whole token, no newline; a short write is finished, never restarted. */
function writeAndClose(fd: number, token: string): FileIdentity {
  try {
    const bytes = Buffer.from(token, 'utf8')
    let written = 0
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written)
    const stats = fstatSync(fd)
    return { dev: stats.dev, ino: stats.ino }
  } finally {
    closeSync(fd)
  }
}
