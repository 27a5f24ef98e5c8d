import { inputField, type Field } from '../field.js'
import { InputError } from '../input-error.js'
import { quoteInput } from '../text/quote-input.js'

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000
}

/**
 * 'older-than' as milliseconds: a whole number and one unit ('90s', '30m', '2h', '1d', '1w').
 * Zero is refused: it would remove a runner whose machine is still booting.
 */
export function parseOlderThan(raw: string, field: Field = inputField('older-than')): number {
  const value = raw.trim()
  const match = /^(\d+)\s*([smhdw])$/i.exec(value)
  const count = Number(match?.[1])
  const ms = count * (UNIT_MS[match?.[2]?.toLowerCase() ?? ''] ?? NaN)
  if (!match || !Number.isSafeInteger(ms) || ms <= 0) {
    throw new InputError(
      `${field.subject} is ${quoteInput(value)}; expected a positive whole number and a unit, s, m, h, d or w (e.g. '30m', '2h', '1d').`
    )
  }
  return ms
}
