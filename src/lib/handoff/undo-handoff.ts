import type { Deps } from '../seam/deps.js'
import type { RefreshSummary } from '../refresher-control/read-refresh-status.js'
import { isFileOf, lstatIfAny } from '../refresher-control/token-file-identity.js'
import { neutralize } from '../text/neutralize.js'
import type { FileState, HandoffState } from './hand-off.js'
import { removeCreatedDirs, removeTokenFile } from './remove-token-file.js'

/** What undoing asks of the front end: summary rows, and variables to set for the later steps. */
export interface Undone {
  rows: [string, string][]
  /** The values the git variables had before (see gitCredentialEnv): exported again. */
  exports: Record<string, string>
}

/**
 * Deletes the files and undoes the git configuration main set up; one line each. The token file
 * is the one the refresher last renamed into place when it says so (see CurrentTokenStatus).
 */
export function undoHandoff(
  ctx: Pick<Deps, 'log'>,
  state: HandoffState,
  refreshed?: RefreshSummary
): Undone {
  const rows: [string, string][] = []
  const exports: Record<string, string> = {}
  if (state.file) {
    const current = refreshed?.current
    const file = current ? { ...state.file, dev: current.dev, ino: current.ino } : state.file
    const outcome = removeIfSame(file)
    // The path comes from the state, written from the workflow's input: neutralized for the log.
    const path = neutralize(state.file.path)
    const writer = current ? 'the main step or the token refresher' : 'the main step'
    ctx.log.info(
      {
        deleted: `Deleted the token file ${path}.`,
        gone: `The token file ${path} was gone already.`,
        'not ours': `Left ${path} alone: it is not the file ${writer} wrote.`
      }[outcome]
    )
    rows.push([
      'Token file',
      { deleted: 'deleted', gone: 'gone already', 'not ours': 'left alone' }[outcome]
    ])
  }
  // The reader holds no secret (the file's path only): removed with the file, without a line.
  if (state.reader) removeIfSame(state.reader)
  if (state.refresher)
    removeTokenFile({ path: state.refresher.statusFile, createdDirs: [state.refresher.dir] })
  if (state.git) {
    Object.assign(exports, state.git.undo)
    if (state.git.file) removeIfSame(state.git.file)
    ctx.log.info('Removed the git credential configuration for the later post steps.')
    rows.push(['Git credentials', 'removed'])
  }
  return { rows, exports }
}

/** Only the very file written (same device and inode, still a regular file) is deleted. */
function removeIfSame(file: FileState): 'deleted' | 'gone' | 'not ours' {
  const stats = lstatIfAny(file.path)
  if (stats && isFileOf(stats, file)) return removeTokenFile(file) ? 'deleted' : 'gone'
  // A link counts, whatever it points to.
  if (stats) return 'not ours'
  // Deleted by a later step: the directories made for it are still this step's to remove.
  removeCreatedDirs(file.createdDirs)
  return 'gone'
}
