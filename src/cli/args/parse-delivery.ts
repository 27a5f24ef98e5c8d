import { planTokenFile } from '../../lib/handoff/write-token-file.js'
import { cliField } from '../../lib/field.js'
import { quoteInput } from '../../lib/text/quote-input.js'
import { UsageError } from '../seam/errors.js'
import type { Io } from '../seam/io.js'
import type { FlagValues } from './parse-command-line.js'

/** Where `token` puts the token: nowhere (the masked JSON only), a file, stdout bare or in JSON. */
export type Delivery =
  | { kind: 'json' }
  | { kind: 'json-with-token' }
  | { kind: 'print' }
  | { kind: 'file'; path: string }

const OUTPUTS = ['json', 'json-with-token']
export const TOKEN_FILE_FIELD = cliField('--token-file')

/**
 * One place for the token, checked before anything is minted: a file that exists already, or a
 * token about to land on a terminal (scroll-back, screen recordings, a shared screen), would
 * otherwise cost a token for nothing.
 */
export function parseDelivery(values: FlagValues, io: Pick<Io, 'stdout' | 'cwd'>): Delivery {
  const output = typeof values.output === 'string' ? values.output : 'json'
  if (!OUTPUTS.includes(output))
    throw new UsageError(`--output is ${quoteInput(output)}; expected json or json-with-token.`)
  const file = typeof values['token-file'] === 'string' ? values['token-file'] : undefined
  const chosen = [
    file !== undefined && '--token-file',
    values['print-token'] === true && '--print-token',
    output === 'json-with-token' && '--output json-with-token'
  ].filter((flag): flag is string => flag !== false)
  if (chosen.length > 1) {
    throw new UsageError(
      `${chosen.join(' and ')} both say where the token goes; choose one of --token-file, --print-token and --output json-with-token.`
    )
  }
  if (file !== undefined) {
    const path = planTokenFile(
      { kind: 'path', path: file },
      { runnerTemp: io.cwd, field: TOKEN_FILE_FIELD }
    )!
    return { kind: 'file', path }
  }
  if (chosen.length === 1 && io.stdout.isTTY && values.force !== true) {
    throw new UsageError(
      `${chosen[0]} would print the token on a terminal, where it stays in the scroll-back and in screen recordings. Pipe or redirect standard output (e.g. | gh auth login --with-token), use --token-file or 'mint-token exec', or add --force.`
    )
  }
  return chosen.length === 1
    ? { kind: values['print-token'] ? 'print' : 'json-with-token' }
    : { kind: 'json' }
}
