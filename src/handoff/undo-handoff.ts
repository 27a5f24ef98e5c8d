import { lstatSync, readFileSync } from 'node:fs'
import type { Context } from '../context.js'
import { readCurrentToken } from '../refresh/read-current-token.js'
import { readRefreshStatus } from '../refresh/read-refresh-status.js'
import { stopRefresher } from '../refresh/stop-refresher.js'
import { neutralize } from '../text/neutralize.js'
import type { FileState, HandoffState } from './hand-off.js'
import { removeTokenFile } from './remove-token-file.js'

/** The token now in the token file, and until when it holds, after the refresher stopped. */
export interface CurrentToken {
  token: string
  expiresAt?: string
}

/**
 * Stops the token refresher first, so that no new token appears after the post step read the
 * file, and reports what it did. Returns the summary rows.
 */
export async function stopRefresh(
  ctx: Pick<Context, 'core'>,
  state: HandoffState
): Promise<[string, string][]> {
  if (!state.refresher) return []
  const outcome = await stopRefresher(state.refresher)
  const lines = {
    stopped: 'Stopped the token refresher.',
    'not running': 'The token refresher had already stopped.',
    'not ours': `Left process ${state.refresher.pid} alone: it is not the token refresher this job started.`
  }
  ctx.core.info(lines[outcome])
  const status = readRefreshStatus(state.refresher.statusFile)
  const failed =
    status.failures > 0
      ? `, ${status.failures} failed (last: ${status.lastError ?? 'unknown'})`
      : ''
  ctx.core.info(`The token was refreshed ${status.refreshes} time(s)${failed}.`)
  return [['Refreshes', `${status.refreshes}${failed}`]]
}

/** The refreshed token in the file (masked before anything else), if it replaced main's. */
export function currentToken(
  ctx: Pick<Context, 'core'>,
  state: HandoffState
): CurrentToken | undefined {
  if (!state.refresher || !state.file) return undefined
  try {
    const token = readCurrentToken(state.file.path, state.file)
    ctx.core.setSecret(token)
    return { token, expiresAt: refreshedExpiry(state.refresher.statusFile) }
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    ctx.core.info(
      `Could not read the current token from the token file (${why}); revoking the one the main step minted.`
    )
    return undefined
  }
}

function refreshedExpiry(statusFile: string): string | undefined {
  try {
    const { expiresAt } = JSON.parse(readFileSync(statusFile, 'utf8')) as { expiresAt?: unknown }
    return typeof expiresAt === 'string' ? expiresAt : undefined
  } catch {
    return undefined
  }
}

/** Deletes the files and undoes the git configuration main set up; one line each. */
export function undoHandoff(ctx: Pick<Context, 'core'>, state: HandoffState): [string, string][] {
  const rows: [string, string][] = []
  if (state.file) {
    const removed = removeIfSame(state.file)
    // The path comes from the state, written from the workflow's input: neutralized for the log.
    const path = neutralize(state.file.path)
    ctx.core.info(
      removed
        ? `Deleted the token file ${path}.`
        : `Left ${path} alone: it is not the file the main step wrote.`
    )
    rows.push(['Token file', removed ? 'deleted' : 'left alone'])
  }
  // The reader holds no secret (the file's path only): removed with the file, without a line.
  if (state.reader) removeIfSame(state.reader)
  if (state.refresher)
    removeTokenFile({ path: state.refresher.statusFile, createdDirs: [state.refresher.dir] })
  if (state.git) {
    for (const [name, value] of Object.entries(state.git.undo)) ctx.core.exportVariable(name, value)
    if (state.git.file) removeIfSame(state.git.file)
    ctx.core.info('Removed the git credential configuration for the later post steps.')
    rows.push(['Git credentials', 'removed'])
  }
  return rows
}

/** Only the very file main wrote (same device and inode, still a regular file) is deleted. */
function removeIfSame(file: FileState): boolean {
  try {
    const stats = lstatSync(file.path)
    if (!stats.isFile() || stats.dev !== file.dev || stats.ino !== file.ino) return false
  } catch {
    return false
  }
  return removeTokenFile(file)
}
