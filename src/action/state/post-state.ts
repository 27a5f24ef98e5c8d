import type { HandoffState } from '../../lib/handoff/hand-off.js'
import type { UndoCause } from '../../lib/handoff/with-rollback.js'
import type { Core } from '../action-context.js'
import { writeHandoff } from './handoff-state.js'
import { writeTokens } from './owner-tokens-state.js'
import { writeRevocation, writeRunner, type Revocation, type RunnerState } from './minted-state.js'

/**
 * The main → post contract: every key main saves for its post step, and the one value each
 * holds. The keys and their JSON are written and read only in this folder (as actions/checkout's
 * state-helper.ts keeps its keys), each value's writer beside its parser: 'token', 'revocation'
 * and 'runner' in minted-state.ts, 'handoff' in handoff-state.ts, 'undone' here. A post step
 * reads what a main step of the same version wrote, so a key's name or JSON never changes alone.
 */
export interface SavedState {
  /** The installation token; masked before it is saved (see publish). */
  token: string
  /** With 'owners': each owner's token, masked before it is saved (see owner-tokens-state.ts). */
  tokens: Record<string, string>
  revocation: Revocation
  runner: RunnerState
  handoff: HandoffState
  /** Main undid what it minted itself, so the post step does not undo it again. */
  undone: UndoCause
}

/** Each key's text; undefined saves nothing (a hand-off that set nothing up). */
const WRITERS: { [K in keyof SavedState]: (value: SavedState[K]) => string | undefined } = {
  token: (token) => token,
  tokens: writeTokens,
  revocation: writeRevocation,
  runner: writeRunner,
  handoff: writeHandoff,
  undone: (by) => by
}

/** Saves the values given, in the order given. */
export function saveState(core: Pick<Core, 'saveState'>, values: Partial<SavedState>): void {
  for (const key of Object.keys(values) as (keyof SavedState)[]) {
    const text = textOf(key, values[key])
    if (text !== undefined) core.saveState(key, text)
  }
}

function textOf<K extends keyof SavedState>(key: K, value: SavedState[K] | undefined) {
  return value === undefined ? undefined : WRITERS[key](value)
}

/**
 * Whether main undid what it minted itself (see withRollback): after a failure, or the runner's
 * cancel. A value main would not write counts as none, so that the post step undoes.
 */
export function readUndone(core: Pick<Core, 'getState'>): UndoCause | undefined {
  const undone = core.getState('undone')
  return undone === 'failure' || undone === 'SIGINT' || undone === 'SIGTERM' ? undone : undefined
}
