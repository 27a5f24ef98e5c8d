import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs'
import type { FileIdentity } from './token-file-identity.js'

/**
 * The token in the token file, read from the file itself: the refresher takes the main step's
 * from it (so its configuration carries one secret, the key, not two), and the post step the
 * refreshed one. The file must be the regular file of that identity (no link followed) and hold
 * a token. O_NONBLOCK: a FIFO put at the path
 * must not hang the reader (it is refused by the identity check right after).
 */
export function readCurrentToken(path: string, identity: FileIdentity): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile() || stats.dev !== identity.dev || stats.ino !== identity.ino)
      throw new Error('the token file changed while it was opened')
    const token = readFileSync(fd, 'utf8')
    if (!token || /\s/.test(token))
      throw new Error('the token file does not hold a token (empty, or with whitespace)')
    return token
  } finally {
    closeSync(fd)
  }
}
