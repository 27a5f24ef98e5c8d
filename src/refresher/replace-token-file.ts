import { randomBytes } from 'node:crypto'
import { closeSync, constants, fstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { isSameFile, type FileIdentity } from '../lib/refresher-control/token-file-identity.js'

const GONE = 'the token file was deleted or replaced by another file; it is left as it is'

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
