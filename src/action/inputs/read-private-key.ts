import type { KeyObject } from 'node:crypto'
import type { ActionContext } from '../action-context.js'
import { InputError } from '../../lib/input-error.js'
import { describeUnreadableKeyFile } from '../../lib/key/describe-unreadable-key-file.js'
import { keySecretLines } from '../../lib/key/key-secret-lines.js'
import { normalizePrivateKey } from '../../lib/key/normalize-private-key.js'
import { inputField } from '../../lib/field.js'

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
    throw describeUnreadableKeyFile(path, error as { code?: string; kind?: string }, {
      field: inputField('private-key-file'),
      source: 'private-key-file'
    })
  }
  // Unlike 'private-key' (a secret the runner masks), the file's text is known to no mask yet.
  for (const line of keySecretLines(content)) core.setSecret(line)
  return normalizePrivateKey(content, 'private-key-file')
}
