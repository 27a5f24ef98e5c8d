import { constants } from 'node:os'
import { InputError } from '../../lib/input-error.js'
import { CancelledError } from '../../lib/seam/cancellation.js'

/** A command line that cannot be run as written: an unknown flag, a missing value, two choices. */
export class UsageError extends InputError {
  override name = 'UsageError'
}

/** 0 done; 1 GitHub or the network refused or failed; 2 the command line or an input is wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

/**
 * An input is wrong (exit 2) whatever the library found it; a cancel is 128 + the signal, as a
 * shell reports it (what was minted is undone by then); anything else is a failure (1).
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CancelledError) return 128 + constants.signals[error.signal]
  return error instanceof InputError ? EXIT.usage : EXIT.failed
}
