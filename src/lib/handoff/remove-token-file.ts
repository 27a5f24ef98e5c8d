import { lstatSync, rmdirSync, unlinkSync } from 'node:fs'
import type { TokenFile } from './write-token-file.js'

/**
 * Removes the token file and the directories this step made for it. Only a regular file is
 * unlinked (a link put there since is left alone), and only empty directories are removed.
 * Returns whether the file was removed.
 */
export function removeTokenFile(file: TokenFile): boolean {
  let removed = false
  try {
    if (lstatSync(file.path).isFile()) {
      unlinkSync(file.path)
      removed = true
    }
  } catch {
    // Already gone.
  }
  removeCreatedDirs(file.createdDirs)
  return removed
}

/** The directories a step made, deepest first: only empty ones are removed. */
export function removeCreatedDirs(dirs: string[]): void {
  for (const dir of dirs) {
    try {
      rmdirSync(dir)
    } catch {
      // Not empty, or gone: leave it.
    }
  }
}
