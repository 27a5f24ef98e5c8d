import type { KeyObject } from 'node:crypto'
import type { ActionContext } from '../action-context.js'
import { InputError } from '../../lib/input-error.js'
import { describeKeyProblem } from '../../lib/key/describe-key-problem.js'
import { keySecretLines } from '../../lib/key/key-secret-lines.js'
import { normalizePrivateKey } from '../../lib/key/normalize-private-key.js'
import { quoteInput } from '../../lib/text/quote-input.js'

/** The App's private key from 'private-key' or from the file 'private-key-file' names. */
export function readPrivateKey({
  core,
  readKeyFile
}: Pick<ActionContext, 'core' | 'readKeyFile'>): KeyObject {
  const inline = core.getInput('private-key')
  const path = core.getInput('private-key-file').trim()
  if (inline.trim() && path) {
    throw new InputError("Both 'private-key' and 'private-key-file' are set; set exactly one.")
  }
  if (!path) return normalizePrivateKey(inline, 'private-key')
  let content: string
  try {
    content = readKeyFile(path)
  } catch (error) {
    throw unreadable(path, error as { code?: string; kind?: string })
  }
  // Unlike 'private-key' (a secret the runner masks), the file's text is known to no mask yet.
  for (const line of keySecretLines(content)) core.setSecret(line)
  return normalizePrivateKey(content, 'private-key-file')
}

function unreadable(path: string, error: { code?: string; kind?: string }): InputError {
  if (error.code === 'EFBIG')
    return new InputError(describeKeyProblem('too-large', 'private-key-file'))
  const what =
    error.code === 'EISDIR'
      ? 'is a directory, not a file'
      : error.code === 'ENOTREG'
        ? `is ${error.kind ?? 'a special file'}, not a regular file`
        : `cannot be read (${error.code ?? 'unreadable'})`
  return new InputError(
    `Input 'private-key-file' is ${quoteInput(path)}, which ${what}. Expected a path to the App's .pem file.`
  )
}
