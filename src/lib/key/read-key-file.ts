import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs'

/** Neither key input may be longer than this: a GitHub App's RSA key is under 4 KB. */
export const KEY_SIZE_LIMIT = 64 * 1024

/**
 * The key file's text, read with a bound: at most KEY_SIZE_LIMIT + 1 bytes, and only from a
 * regular file. A FIFO with no writer would block an open() for ever and /dev/zero never ends, so
 * the path is stat'ed before it is opened, the open never blocks (O_NONBLOCK: the file may have
 * been swapped for a FIFO in between), and the open handle is checked again before it is read.
 * Symbolic links are followed: mounted secrets often are links to the real file.
 * Throws Node-style errors with a `code`: ENOENT, EACCES…, EISDIR, ENOTREG (a FIFO, socket or
 * device, named by `kind`) and EFBIG (larger than the bound).
 */
export function readKeyFile(path: string): string {
  requireRegularFile(statSync(path))
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  try {
    requireRegularFile(fstatSync(fd))
    const buffer = Buffer.alloc(KEY_SIZE_LIMIT + 1)
    let length = 0
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null)
      if (n === 0) break
      length += n
    }
    if (length > KEY_SIZE_LIMIT) throw fileError('EFBIG')
    return buffer.toString('utf8', 0, length)
  } finally {
    closeSync(fd)
  }
}

function requireRegularFile(stats: Stats): void {
  if (stats.isFile()) return
  if (stats.isDirectory()) throw fileError('EISDIR')
  throw Object.assign(fileError('ENOTREG'), { kind: kindOf(stats) })
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)'
  if (stats.isCharacterDevice()) return 'a character device'
  if (stats.isBlockDevice()) return 'a block device'
  if (stats.isSocket()) return 'a socket'
  return 'a special file'
}

function fileError(code: string): Error {
  return Object.assign(new Error(code), { code })
}
