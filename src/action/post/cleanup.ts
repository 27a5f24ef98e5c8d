import { parseHandoffState } from '../state/parse-handoff-state.js'
import { parsePostState, type PostState } from '../state/parse-post-state.js'
import { revokeCurrentToken } from './revoke-current-token.js'
import type { ActionContext } from '../action-context.js'
import { currentToken } from './current-token.js'
import type { HandoffState } from '../../lib/handoff/hand-off.js'
import { stopRefresh, type StoppedRefresh } from '../../lib/handoff/stop-refresh.js'
import { undoHandoff } from '../../lib/handoff/undo-handoff.js'
import { writeSummary } from '../publish/write-summary.js'
import { cleanupRunner } from './cleanup-runner.js'

/**
 * The post step: undo what the main step minted and set up, in order: stop the refresher, revoke
 * the token now in use, then delete files and git configuration. It warns, it never fails the job.
 */
export async function cleanup(ctx: ActionContext): Promise<void> {
  const state = parsePostState(ctx)
  // Local undo (refresher, files, git) needs no trust in the token state, and must not wait on it.
  const handoff = handoffOf(ctx)
  const refreshed = await stopRefresh(ctx, handoff)
  const rows = refreshed.rows
  const undone = undoneBy(ctx)
  if (undone && (state.kind === 'installation-token' || state.kind === 'runner-jit')) {
    const what = state.kind === 'runner-jit' ? 'removed the runner' : 'revoked the token'
    ctx.core.info(`The main step ${undone} and ${what} itself, so there is nothing left to undo.`)
  } else await undoMinted(ctx, state, handoff, refreshed)
  const local = undoHandoff(ctx, handoff, refreshed.status)
  for (const [name, value] of Object.entries(local.exports)) ctx.core.exportVariable(name, value)
  rows.push(...local.rows)
  const summary = 'summary' in state && state.summary
  if (summary && rows.length > 0)
    await writeSummary(ctx.core, { title: 'mint-token: hand-off cleanup', rows })
}

async function undoMinted(
  ctx: ActionContext,
  state: PostState,
  handoff: HandoffState,
  refreshed: StoppedRefresh
): Promise<void> {
  switch (state.kind) {
    case 'nothing':
      ctx.core.info('The main step minted no token, so there is nothing to revoke.')
      break
    case 'unusable':
      ctx.core.info(
        `The main step's saved state is not usable (${state.reason}), so nothing is sent to GitHub.`
      )
      break
    case 'installation-token':
      await revokeCurrentToken(ctx, state, currentToken(ctx, handoff, state, refreshed.status))
      break
    default:
      await cleanupRunner(ctx, state)
  }
}

/**
 * Whether main undid what it minted itself (see withRollback): after a failure, or the runner's
 * cancel. Undoing again would only send a request bound to fail. A value main would not write
 * counts as none, so that the post step undoes.
 */
function undoneBy(ctx: ActionContext): string | undefined {
  const undone = ctx.core.getState('undone')
  if (undone === 'failure') return 'failed'
  if (undone === 'SIGINT' || undone === 'SIGTERM') return `was cancelled (${undone})`
  return undefined
}

function handoffOf(ctx: ActionContext): HandoffState {
  const parsed = parseHandoffState(ctx)
  if (parsed.kind === 'usable') return parsed.state
  ctx.core.info(
    `The main step's hand-off state is not usable (${parsed.reason}), so no file or process is touched.`
  )
  return {}
}
