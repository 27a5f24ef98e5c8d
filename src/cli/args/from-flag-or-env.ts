import { cliField, type Field } from '../../lib/field.js'
import type { Io } from '../seam/io.js'
import type { FlagValues } from './parse-command-line.js'

/**
 * A flag's value, else the first environment variable set, with the name messages use for
 * whichever supplied it (flags win over the environment). Empty when neither is set.
 */
export function fromFlagOrEnv(
  values: FlagValues,
  flag: string,
  env: Io['env'],
  variables: string[]
): { raw: string; field: Field } {
  const given = values[flag]
  if (typeof given === 'string') return { raw: given, field: cliField(`--${flag}`) }
  const variable = variables.find((name) => (env[name] ?? '') !== '')
  if (variable) return { raw: env[variable]!, field: cliField(variable) }
  return { raw: '', field: cliField(`--${flag}`) }
}
