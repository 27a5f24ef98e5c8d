import { InputError } from '../input-error.js'
import type { Field } from '../field.js'
import { quoteInput } from '../text/quote-input.js'
import { describeKeyProblem, type KeyInput } from './describe-key-problem.js'

/**
 * Why readKeyFile refused a key file, naming where the path came from (`field`) and, for a file
 * too large to be a key, the key's source as the key diagnosis names it (`source`).
 */
export function describeUnreadableKeyFile(
  path: string,
  error: { code?: string; kind?: string },
  names: { field: Field; source: KeyInput }
): InputError {
  if (error.code === 'EFBIG') return new InputError(describeKeyProblem('too-large', names.source))
  const what =
    error.code === 'EISDIR'
      ? 'is a directory, not a file'
      : error.code === 'ENOTREG'
        ? `is ${error.kind ?? 'a special file'}, not a regular file`
        : `cannot be read (${error.code ?? 'unreadable'})`
  return new InputError(
    `${names.field.subject} is ${quoteInput(path)}, which ${what}. Expected a path to the App's .pem file.`
  )
}
