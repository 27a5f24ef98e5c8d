import type { Field } from '../field.js'
import { InputError } from '../input-error.js'
import type { TokenFormat } from '../requests.js'
import { quoteInput } from '../text/quote-input.js'

const FORMATS: readonly TokenFormat[] = ['stateless', 'classic']

/**
 * 'token-format' (or --token-format): 'stateless', 'classic', or nothing for GitHub's own choice.
 * GitHub silently ignores a header value it does not know, so a typo here would quietly mint a
 * token of the other format: refused instead, before any request.
 */
export function parseTokenFormat(raw: string, field: Field): TokenFormat | undefined {
  const value = raw.trim()
  if (!value) return undefined
  const known = FORMATS.find((format) => format === value)
  if (known) return known
  const none = field.kind === 'input' ? 'empty' : 'left out'
  throw new InputError(
    `${field.subject} is ${quoteInput(value)}; expected stateless (a JWT of about 520 characters) or classic (40 characters), or ${none} for GitHub's default.`
  )
}
