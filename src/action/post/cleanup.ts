import type { UndoCause } from '../../lib/handoff/with-rollback.js'
import { readHandoffState } from '../state/handoff-state.js'
import { readPostState, type PostState } from '../state/minted-state.js'
import { readUndone } from '../state/post-state.js'
import { revokeCurrentToken } from './revoke-current-token.js'
import type { ActionContext } from '../action-context.js'
import { currentToken } from './current-token.js'
import type { HandoffState } from '../../lib/handoff/hand-off.js'
import { stopRefresh, type StoppedRefresh } from '../../lib/handoff/stop-refresh.js'
import { undoHandoff } from '../../lib/handoff/undo-handoff.js'
import { writeSummary } from '../publish/write-summary.js'
import { cleanupRunner } from './cleanup-runner.js'
import { cleanupOwnerTokens } from './cleanup-owner-tokens.js'

/**
 * The post step: undo what the main step minted and set up, in order: stop the refresher, revoke
 * the token now in use, then delete files and git configuration. It warns, it never fails the job.
 */
export async function cleanup(ctx: ActionContext): Promise<void> {
  const state = readPostState(ctx)
  // Local undo (refresher, files, git) needs no trust in the token state, and must not wait on it.
  const handoff = handoffOf(ctx)
  const refreshed = await stopRefresh(ctx, handoff)
  await undoMinted(ctx, state, handoff, refreshed)
  const local = undoHandoff(ctx, handoff, refreshed.status)
  for (const [name, value] of Object.entries(local.exports)) ctx.core.exportVariable(name, value)
  const rows = [...refreshed.rows, ...local.rows]
  if ('summary' in state && state.summary && rows.length > 0)
    await writeSummary(ctx.core, { title: 'mint-token: hand-off cleanup', rows })
}

/** Revokes the token or removes the runner main minted; each reason not to is one info line. */
async function undoMinted(
  ctx: ActionContext,
  state: PostState,
  handoff: HandoffState,
  refreshed: StoppedRefresh
): Promise<void> {
  if (state.kind === 'nothing')
    return ctx.core.info('The main step minted no token, so there is nothing to revoke.')
  if (state.kind === 'unusable')
    return ctx.core.info(
      `The main step's saved state is not usable (${state.reason}), so nothing is sent to GitHub.`
    )
  // A registration token can't be revoked: cleanupRunner says so, undone or not.
  const undone = readUndone(ctx.core)
  if (undone && state.kind !== 'runner-registration')
    return ctx.core.info(undoneAlready(undone, state))
  if (state.kind === 'installation-token')
    return revokeCurrentToken(ctx, state, currentToken(ctx, handoff, state, refreshed.status))
  if (state.kind === 'owner-tokens') return cleanupOwnerTokens(ctx, state)
  return cleanupRunner(ctx, state)
}

/** Undoing again would only send a request bound to fail (see withRollback). */
function undoneAlready(
  by: UndoCause,
  state: { kind: 'installation-token' | 'owner-tokens' | 'runner-jit' }
): string {
  const how = by === 'failure' ? 'failed' : `was cancelled (${by})`
  const what = {
    'runner-jit': 'removed the runner',
    'installation-token': 'revoked the token',
    'owner-tokens': 'revoked the tokens'
  }[state.kind]
  return `The main step ${how} and ${what} itself, so there is nothing left to undo.`
}

function handoffOf(ctx: ActionContext): HandoffState {
  const parsed = readHandoffState(ctx.core)
  if (parsed.kind === 'usable') return parsed.value
  ctx.core.info(
    `The main step's hand-off state is not usable (${parsed.reason}), so no file or process is touched.`
  )
  return {}
}
