import type { Deps } from '../../lib/seam/deps.js'
import type { FlagValues } from '../args/parse-command-line.js'
import type { Flag } from '../args/flags.js'
import type { CliLog } from '../seam/cli-log.js'
import type { Io } from '../seam/io.js'

/** What a command runs with: the process's side of the world and the library's deps. */
export interface CommandContext {
  io: Io
  deps: Deps & { log: CliLog }
}

/** One `mint-token NAME`: its flags, its help, and what it does (resolving to the exit code). */
export interface Command {
  name: string
  /** One line, for `mint-token --help`. */
  summary: string
  /** After `Usage: mint-token NAME`. */
  usage: string
  flags: Flag[]
  /**
   * Set: the command's last argument is its operation (as git passes `get` to a credential
   * helper), handed to run() as `rest`; undefined otherwise.
   */
  operation?: true
  /** What --help says after the flags: output, examples, environment. */
  details: string
  run(values: FlagValues, rest: string[] | undefined, ctx: CommandContext): Promise<number>
}

/**
 * `mint-token NAME WORD [flags]`: commands under one word (`runners prune`), each named in full
 * so that its usage line and parse errors say the whole command.
 */
export interface CommandGroup {
  name: string
  /** One line, for `mint-token --help`. */
  summary: string
  commands: Command[]
}
