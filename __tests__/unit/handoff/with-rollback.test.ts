import { EventEmitter } from 'node:events'
import { cancellationOf, CancelledError } from '../../../src/lib/seam/cancellation.js'
import { withRollback } from '../../../src/lib/handoff/with-rollback.js'
import type { Undo } from '../../../src/lib/handoff/hand-off.js'
import { testContext } from '../../harness/test-context.js'

/**
 * withRollback under the runner's cancel, with an emitter standing in for the process: the
 * signals arrive at exact points of the work, which a real process could not arrange.
 */
function setUp() {
  const signals = new EventEmitter()
  const recorded = testContext({})
  const ctx = { ...recorded.ctx, cancellation: cancellationOf(signals) }
  return { signals, ctx, state: recorded.state, events: recorded.events }
}

describe('withRollback: the runner cancels the job', () => {
  test('undoes at once, last first, without waiting for the work', async () => {
    const { signals, ctx, state } = setUp()
    const undone: string[] = []
    const undo: Undo = [() => undone.push('revoke'), () => undone.push('file')]
    const never = new Promise<void>(() => {})
    const run = withRollback(
      ctx,
      undo,
      () => {
        signals.emit('SIGINT', 'SIGINT')
        return never
      },
      { markUndone: (by) => ctx.core.saveState('undone', by) }
    )
    await expect(run).rejects.toEqual(new CancelledError('SIGINT'))
    expect(undone).toEqual(['file', 'revoke'])
    expect(state.undone).toBe('SIGINT')
    expect(signals.listenerCount('SIGINT')).toBe(0)
    expect(signals.listenerCount('SIGTERM')).toBe(0)
  })

  test('steps the work adds while the undo runs are undone too; nothing is published after', async () => {
    const { signals, ctx, events } = setUp()
    const undone: string[] = []
    let revoked!: () => void
    const undo: Undo = [() => new Promise<void>((done) => (revoked = done))]
    let workDone = false
    const run = withRollback(
      ctx,
      undo,
      async () => {
        signals.emit('SIGTERM', 'SIGTERM')
        // The reply the work waited for comes while the token is being revoked.
        await new Promise((done) => setImmediate(done))
        undo.push(() => undone.push('late file'))
        ctx.cancellation.signal.throwIfAborted()
        workDone = true
      },
      { markUndone: (by) => ctx.core.saveState('undone', by) }
    )
    await new Promise((done) => setImmediate(done))
    // A second signal (the runner's SIGTERM after SIGINT) does not start a second undo.
    signals.emit('SIGINT', 'SIGINT')
    revoked()
    await expect(run).rejects.toEqual(new CancelledError('SIGTERM'))
    expect(undone).toEqual(['late file'])
    expect(workDone).toBe(false)
    expect(events.filter((e) => e.kind === 'warning')).toEqual([])
  })

  test('a failed undo step is a warning, and post is not told that all was undone', async () => {
    const { signals, ctx, state, events } = setUp()
    const undo: Undo = [
      () => {
        throw new Error('HTTP 403: Forbidden')
      }
    ]
    const run = withRollback(
      ctx,
      undo,
      () => {
        signals.emit('SIGINT', 'SIGINT')
        return new Promise<void>(() => {})
      },
      { markUndone: (by) => ctx.core.saveState('undone', by) }
    )
    await expect(run).rejects.toBeInstanceOf(CancelledError)
    expect(state.undone).toBeUndefined()
    expect(events.filter((e) => e.kind === 'warning').map((e) => e.value)).toEqual([
      'Could not undo a step of the failed mint (HTTP 403: Forbidden).'
    ])
  })
})
