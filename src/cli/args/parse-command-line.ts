import { parseArgs } from 'node:util'
import { UsageError } from '../seam/errors.js'
import type { Flag } from './flags.js'

export type FlagValues = Record<string, string | boolean | undefined>

/** Flags that would put the key itself on the command line, where `ps` and the history show it. */
const KEY_ON_ARGV = /^--(private-key|key|pem)(=|$)/

export const KEY_ON_ARGV_MESSAGE =
  'A private key is never taken as a flag value: the command line is visible to every user in `ps` and stays in the shell history. Use --private-key-file PATH, --private-key-stdin, or the environment variable GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_PATH).'

export const JWT_ON_ARGV_MESSAGE =
  'An App JWT is never taken as a flag value: it is a credential for up to 10 minutes, and a command line is visible in `ps` and the shell history. Use --app-jwt-file PATH or --app-jwt-stdin.'

/**
 * A command's flags with node's util.parseArgs: no dependency (the CLI's bundle and start-up
 * stay small) and strict about unknown flags. Its gaps, filled here and in help.ts: no
 * sub-commands (main.ts picks the command first) and no help text. `rest` is what follows `--`.
 */
export function parseCommandLine(
  command: string,
  args: string[],
  flags: Flag[]
): { values: FlagValues; rest?: string[] } {
  const end = args.indexOf('--')
  const own = end === -1 ? args : args.slice(0, end)
  if (own.some((arg) => KEY_ON_ARGV.test(arg))) throw new UsageError(KEY_ON_ARGV_MESSAGE)
  if (own.some((arg) => /^--app-jwt(=|$)/.test(arg))) throw new UsageError(JWT_ON_ARGV_MESSAGE)
  const options = Object.fromEntries(flags.map((flag) => [flag.name, { type: flag.type }]))
  let parsed
  try {
    parsed = parseArgs({ args: own, options, strict: true, allowPositionals: true })
  } catch (error) {
    throw new UsageError(`${unquotedMessage(error)} See 'mint-token ${command} --help'.`)
  }
  if (parsed.positionals.length > 0) {
    throw new UsageError(
      `'mint-token ${command}' takes no argument '${parsed.positionals[0]!.slice(0, 100)}'. See 'mint-token ${command} --help'.`
    )
  }
  return { values: parsed.values, rest: end === -1 ? undefined : args.slice(end + 1) }
}

/** parseArgs' first sentence ("Unknown option '--x'."), without its advice about positionals. */
function unquotedMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split(/(?<=\.) /)[0]!.slice(0, 300)
}
