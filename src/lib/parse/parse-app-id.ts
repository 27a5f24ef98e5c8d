import { InputError } from '../input-error.js'
import { quoteInput } from '../text/quote-input.js'
import type { Field } from '../field.js'
import { isPositiveId } from './is-positive-id.js'

/** A value as given, and how messages name where it came from. */
export interface Given {
  raw: string
  field: Field
}

/**
 * The JWT's issuer: the Client ID if given, else the numeric App ID. `missing` is the front
 * end's own advice when neither is set (where such values usually come from differs).
 */
export function parseAppId(appId: Given, clientId: Given, missing: string): string {
  const id = clientId.raw.trim() || appId.raw.trim()
  if (!id) throw new InputError(missing)
  if (!clientId.raw.trim() && !/^\d+$/.test(id)) {
    throw new InputError(
      `${appId.field.subject} is ${quoteInput(id)}, but an App ID is a number. For a Client ID (Iv…), use ${clientId.field.name}.`
    )
  }
  if (/\s/.test(id))
    throw new InputError(
      `${clientId.field.subject} contains whitespace; paste the Client ID alone.`
    )
  return id
}

/** An installation ID, or undefined when none is given (it is then looked up by owner). */
export function parseInstallationId({ raw, field }: Given): number | undefined {
  const value = raw.trim()
  if (!value) return undefined
  if (!/^\d+$/.test(value)) {
    throw new InputError(
      `${field.subject} is ${quoteInput(value)}, but an installation ID is a positive number.`
    )
  }
  if (!isPositiveId(value)) {
    throw new InputError(
      `${field.subject} is ${quoteInput(value)}, but an installation ID is a whole number from 1 to ${Number.MAX_SAFE_INTEGER}, without leading zeros.`
    )
  }
  return Number(value)
}
