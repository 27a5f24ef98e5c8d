import { closeSync, fchmodSync, openSync, renameSync, writeSync } from 'node:fs'
import type { RefreshStatus } from './refresh-status.js'

/**
 * Replaces the status file atomically: a temporary file in the same directory (so the rename
 * stays on one file system), mode 0600, renamed over it. A reader sees the old document or the
 * new one, never half of one.
 */
export function writeRefreshStatus(statusFile: string, status: RefreshStatus): void {
  const temporary = `${statusFile}.${process.pid}.tmp`
  const fd = openSync(temporary, 'w', 0o600)
  try {
    // A temporary file left by a crash keeps its old mode; 0600 whatever happened before.
    fchmodSync(fd, 0o600)
    writeSync(fd, `${JSON.stringify(status, null, 2)}\n`)
  } finally {
    closeSync(fd)
  }
  renameSync(temporary, statusFile)
}
