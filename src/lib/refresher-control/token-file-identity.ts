import { lstatSync, type Stats } from 'node:fs'

/** Which file the token file is: a file put in its place (a rename, a link) is another one. */
export interface FileIdentity {
  dev: number
  ino: number
}

/** The token file's identity, refusing anything but a regular file (a symlink included). */
export function tokenFileIdentity(path: string): FileIdentity {
  const stats = lstatSync(path)
  if (!stats.isFile()) throw new Error('the token file is not a regular file')
  return { dev: stats.dev, ino: stats.ino }
}

/** Whether the path (not followed) is the regular file of that identity; false if it is gone. */
export function isSameFile(path: string, identity: FileIdentity): boolean {
  const stats = lstatIfAny(path)
  return stats !== undefined && isFileOf(stats, identity)
}

/** Whether stats taken with lstat are of the regular file of that identity. */
export function isFileOf(stats: Stats, identity: FileIdentity): boolean {
  return stats.isFile() && stats.dev === identity.dev && stats.ino === identity.ino
}

/** The path's own stats (a link is not followed), or undefined when nothing is there. */
export function lstatIfAny(path: string): Stats | undefined {
  try {
    return lstatSync(path)
  } catch {
    return undefined
  }
}
