import type { Field } from '../field.js'
import { InputError } from '../input-error.js'
import { quoteInput } from '../text/quote-input.js'
import { splitList } from '../text/split-list.js'
import { LOGIN } from './parse-target.js'

/**
 * The accounts of 'owners' (comma or newline separated), each a GitHub login, each once (logins
 * are compared without case, as GitHub does); in the order given, which the outputs keep.
 */
export function parseOwners(raw: string, field: Field): string[] {
  const owners: string[] = []
  for (const entry of splitList(raw)) {
    if (!LOGIN.test(entry)) {
      throw new InputError(
        `${field.subject} has ${quoteInput(entry)}, which is not a GitHub user or organization name; expected account names separated by commas or newlines.`
      )
    }
    if (!owners.some((owner) => owner.toLowerCase() === entry.toLowerCase())) owners.push(entry)
  }
  if (owners.length === 0)
    throw new InputError(
      `${field.subject} names no account; expected account names separated by commas or newlines.`
    )
  return owners
}
