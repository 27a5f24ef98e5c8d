import { createHash, randomBytes } from 'node:crypto'
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import { InputError } from '../../lib/input-error.js'
import { neutralize } from '../../lib/text/neutralize.js'

/** One cached token: what git gets, and when GitHub ends it (with GitHub's clock offset). */
export interface CachedToken {
  token: string
  expiresAt: string
  /** GitHub's clock minus ours when it was minted: expiry is judged on GitHub's clock. */
  offsetMs: number
}

/** Reused until this long before it expires: a clone or push started then still ends in time. */
export const REUSE_MARGIN_MS = 10 * 60_000

/**
 * `git-credential`'s cache: one 0600 file per request (API, App, owner, repositories,
 * permissions) in a 0700 directory, $XDG_CACHE_HOME/mint-token or ~/.cache/mint-token. Files are
 * read only when they are regular files of this user and not links, and written whole to a new
 * file (exclusive, no link followed) then renamed over the old one, so no reader sees half a token.
 * Gap: no well-kept package writes a file atomically with O_EXCL and a mode from the start, which
 * is the whole point here, so it is done with node:fs.
 */
export interface CredentialCache {
  read(key: string): CachedToken | undefined
  write(key: string, entry: CachedToken): void
  drop(key: string): void
}

export function cacheDirOf(env: Readonly<Record<string, string | undefined>>): string {
  const base = env.XDG_CACHE_HOME?.startsWith('/') ? env.XDG_CACHE_HOME : undefined
  if (base) return join(base, 'mint-token')
  if (!env.HOME)
    throw new InputError('Neither XDG_CACHE_HOME nor HOME is set: no place for the cache.')
  return join(env.HOME, '.cache', 'mint-token')
}

/** The cache key of a request: a hash, so file names say nothing of owners or permissions. */
export function cacheKey(parts: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 40)
}

export function credentialCache(dir: string): CredentialCache {
  const path = (key: string) => join(dir, `git-credential-${key}.json`)
  return {
    read(key) {
      let fd: number
      try {
        fd = openSync(path(key), constants.O_RDONLY | constants.O_NOFOLLOW)
      } catch {
        return undefined
      }
      try {
        const stat = fstatSync(fd)
        if (!stat.isFile() || stat.uid !== process.getuid?.() || (stat.mode & 0o077) !== 0)
          return undefined
        return parseEntry(readFileSync(fd, 'utf8'))
      } finally {
        closeSync(fd)
      }
    },
    write(key, entry) {
      ensureDir(dir)
      const temp = join(dir, `.git-credential-${randomBytes(8).toString('hex')}.tmp`)
      const fd = openSync(
        temp,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        0o600
      )
      try {
        writeFileSync(fd, JSON.stringify(entry))
      } finally {
        closeSync(fd)
      }
      try {
        renameSync(temp, path(key))
      } catch (error) {
        rmSync(temp, { force: true })
        throw error
      }
    },
    drop(key) {
      rmSync(path(key), { force: true })
    }
  }
}

/** The directory, 0700 and ours; a link or someone else's directory is refused, never used. */
function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const stat = lstatSync(dir)
  if (!stat.isDirectory() || stat.uid !== process.getuid?.())
    throw new InputError(
      `The cache directory ${neutralize(dir, 300)} is not a directory of this user (a link?); remove it or set XDG_CACHE_HOME.`
    )
  if ((stat.mode & 0o077) !== 0)
    throw new InputError(
      `The cache directory ${neutralize(dir, 300)} is open to other users (mode ${(stat.mode & 0o777).toString(8)}); chmod 700 it.`
    )
}

function parseEntry(text: string): CachedToken | undefined {
  try {
    const value = JSON.parse(text) as Partial<CachedToken>
    if (
      typeof value.token === 'string' &&
      value.token !== '' &&
      typeof value.expiresAt === 'string' &&
      !Number.isNaN(Date.parse(value.expiresAt)) &&
      typeof value.offsetMs === 'number' &&
      Number.isFinite(value.offsetMs)
    )
      return { token: value.token, expiresAt: value.expiresAt, offsetMs: value.offsetMs }
  } catch {
    // A damaged entry is no entry: a new token is minted and written over it.
  }
  return undefined
}
