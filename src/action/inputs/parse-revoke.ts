import { InputError } from '../../lib/input-error.js'

interface RevokeReaders {
  read: (name: string) => string
  readBoolean: (name: string) => boolean
}

/**
 * 'revoke', or its negation 'skip-token-revoke' (the name actions/create-github-app-token uses).
 * 'revoke' has a default ('true') and 'skip-token-revoke' has none, so an empty
 * 'skip-token-revoke' means it was not given, and 'revoke: false' means it was. Hence the one
 * contradiction that can be told: 'revoke: false' with 'skip-token-revoke: false'.
 * 'skip-token-revoke: true' wins over 'revoke: true', which may be no more than the default.
 */
export function parseRevoke(readers: RevokeReaders): boolean {
  const revoke = readers.readBoolean('revoke')
  if (readers.read('skip-token-revoke').trim() === '') return revoke
  const skip = readers.readBoolean('skip-token-revoke')
  if (!skip && !revoke) {
    throw new InputError(
      "Inputs 'revoke: false' and 'skip-token-revoke: false' contradict each other: the first keeps the token, the second revokes it. Keep 'revoke' and remove 'skip-token-revoke'."
    )
  }
  return !skip
}
