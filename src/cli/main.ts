import packageJson from '../../package.json' with { type: 'json' }
import { quoteInput } from '../lib/text/quote-input.js'
import { describeRequestError } from '../lib/transport/describe-request-error.js'
import { HELP_FLAG } from './args/flags.js'
import { parseCommandLine } from './args/parse-command-line.js'
import { createCliDeps } from './seam/cli-deps.js'
import { cliLog } from './seam/cli-log.js'
import type { Command, CommandGroup } from './commands/command.js'
import { pickFromGroup } from './commands/command-group.js'
import { execCommand } from './commands/exec.js'
import { jitConfigCommand } from './commands/jit-config.js'
import { revokeCommand } from './commands/revoke.js'
import { serveCommand } from './commands/serve.js'
import { auditCommand } from './commands/audit.js'
import { gitCredentialCommand } from './commands/git-credential.js'
import { runnerTokenCommand } from './commands/runner-token.js'
import { runnersGroup } from './commands/runners.js'
import { tokenCommand } from './commands/token.js'
import { EXIT, exitCodeOf, UsageError } from './seam/errors.js'
import { commandHelp, mainHelp } from './commands/help.js'
import type { Io } from './seam/io.js'

const COMMANDS: Array<Command | CommandGroup> = [
  tokenCommand,
  execCommand,
  runnerTokenCommand,
  jitConfigCommand,
  revokeCommand,
  gitCredentialCommand,
  runnersGroup,
  serveCommand,
  auditCommand
]

/**
 * `mint-token COMMAND [flags]`: runs the command and resolves to the exit code. Every error
 * ends here as one line on stderr (masked by the log) and exit code 2 for a usage or input
 * error, 1 for anything else (GitHub or the network).
 */
export async function main(argv: string[], io: Io): Promise<number> {
  const log = cliLog(io)
  try {
    const [name = '', ...args] = argv
    if (['--help', '-h', 'help'].includes(name)) return print(io, mainHelp(COMMANDS))
    if (['--version', '-V'].includes(name)) return print(io, `${packageJson.version}\n`)
    const found = COMMANDS.find((known) => known.name === name)
    if (!found) {
      io.stderr.write(mainHelp(COMMANDS))
      const what = name ? `Unknown command ${quoteInput(name)}.` : 'No command given.'
      throw new UsageError(`${what} Commands: ${COMMANDS.map((c) => c.name).join(', ')}.`)
    }
    const picked = 'commands' in found ? pickFromGroup(found, args, io) : { command: found, args }
    if ('help' in picked) return print(io, picked.help)
    const { command } = picked
    const flags = command.flags.concat(HELP_FLAG)
    const last = picked.args.at(-1)
    const operation = command.operation && last !== undefined && !last.startsWith('-')
    const own = operation ? picked.args.slice(0, -1) : picked.args
    const parsed = parseCommandLine(command.name, own, flags)
    const { values } = parsed
    const rest = operation ? [last] : command.operation ? [] : parsed.rest
    if (values.help) return print(io, commandHelp(command))
    return await command.run(values, rest, { io, deps: createCliDeps(io, log) })
  } catch (error) {
    log.error(describeRequestError(error))
    return exitCodeOf(error)
  }
}

function print(io: Io, text: string): number {
  io.stdout.write(text)
  return EXIT.ok
}
