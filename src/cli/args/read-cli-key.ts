import type { KeyObject } from 'node:crypto'
import { describeUnreadableKeyFile } from '../../lib/key/describe-unreadable-key-file.js'
import { keySecretLines } from '../../lib/key/key-secret-lines.js'
import { normalizePrivateKey } from '../../lib/key/normalize-private-key.js'
import { cliField } from '../../lib/field.js'
import type { Deps } from '../../lib/seam/deps.js'
import { UsageError } from '../seam/errors.js'
import type { Io } from '../seam/io.js'
import type { FlagValues } from './parse-command-line.js'

const WHEN_EMPTY =
  "Pass the GitHub App's private key: --private-key-file PATH, --private-key-stdin, or GITHUB_APP_PRIVATE_KEY."

export const NO_KEY_MESSAGE =
  'No private key. Pass --private-key-file PATH or --private-key-stdin, or set GITHUB_APP_PRIVATE_KEY (the PEM text) or GITHUB_APP_PRIVATE_KEY_PATH.'

/**
 * The App's key, in this order: --private-key-file, --private-key-stdin, GITHUB_APP_PRIVATE_KEY
 * (or its alias GITHUB_APP_PRIVATE_KEY_PEM), GITHUB_APP_PRIVATE_KEY_PATH. Each line of it is
 * masked before anything can print it; the diagnosis is the action's, naming this source.
 */
export async function readCliKey(
  values: FlagValues,
  io: Pick<Io, 'env' | 'readStdin'>,
  deps: Pick<Deps, 'log' | 'readKeyFile'>
): Promise<KeyObject> {
  const file = values['private-key-file']
  if (typeof file === 'string' && values['private-key-stdin'])
    throw new UsageError('Both --private-key-file and --private-key-stdin are given; give one.')
  if (typeof file === 'string') return fromFile(file, '--private-key-file', deps)
  if (values['private-key-stdin'])
    return fromText(await io.readStdin(), 'The key read from --private-key-stdin', deps)
  const { env } = io
  const inline = env.GITHUB_APP_PRIVATE_KEY
    ? 'GITHUB_APP_PRIVATE_KEY'
    : 'GITHUB_APP_PRIVATE_KEY_PEM'
  const path = env.GITHUB_APP_PRIVATE_KEY_PATH
  if (env[inline] && path)
    throw new UsageError(`Both ${inline} and GITHUB_APP_PRIVATE_KEY_PATH are set; set one.`)
  if (env[inline]) return fromText(env[inline], inline, deps)
  if (path) return fromFile(path, 'GITHUB_APP_PRIVATE_KEY_PATH', deps)
  throw new UsageError(NO_KEY_MESSAGE)
}

function fromFile(path: string, name: string, deps: Pick<Deps, 'log' | 'readKeyFile'>) {
  const subject = `The file named by ${name}`
  let content: string
  try {
    content = deps.readKeyFile(path)
  } catch (error) {
    const source = { subject, whenEmpty: WHEN_EMPTY }
    throw describeUnreadableKeyFile(path, error as { code?: string }, {
      field: cliField(name),
      source
    })
  }
  return fromText(content, subject, deps)
}

function fromText(text: string, subject: string, deps: Pick<Deps, 'log'>): KeyObject {
  for (const line of keySecretLines(text)) deps.log.mask(line)
  return normalizePrivateKey(text, { subject, whenEmpty: WHEN_EMPTY })
}
