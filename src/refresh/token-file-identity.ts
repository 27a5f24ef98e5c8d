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
  let stats: Stats
  try {
    stats = lstatSync(path)
  } catch {
    return false
  }
  return stats.isFile() && stats.dev === identity.dev && stats.ino === identity.ino
}
