import { closeSync, constants, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs'
import type { FileIdentity } from './token-file-identity.js'

/**
 * Replaces the token file's content in place. A container that bind-mounts the single file sees
 * the inode it was given, so renaming a new file over it would leave the container with the old
 * token: the same inode must be rewritten. Opened without O_TRUNC (an empty file would be
 * visible between truncate and write) and without following a link; the whole token goes at
 * offset 0 in one write, then the file is cut to its length. A reader sees the old token or the
 * new one, never an empty file (tokens of one format have one length, so no old tail shows
 * between the write and the cut). No newline: the file holds exactly the token.
 */
export function rewriteTokenFile(path: string, token: string, identity: FileIdentity): void {
  const bytes = Buffer.from(token, 'utf8')
  const fd = openSync(path, constants.O_WRONLY | constants.O_NOFOLLOW)
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile() || stats.dev !== identity.dev || stats.ino !== identity.ino)
      throw new Error('the token file was replaced by another file; it is left as it is')
    let written = writeSync(fd, bytes, 0, bytes.length, 0)
    // A regular file takes a small write whole; a short write is finished, never restarted.
    while (written < bytes.length)
      written += writeSync(fd, bytes, written, bytes.length - written, written)
    ftruncateSync(fd, bytes.length)
  } finally {
    closeSync(fd)
  }
}
