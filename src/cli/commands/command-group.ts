import { quoteInput } from '../../lib/text/quote-input.js'
import { UsageError } from '../seam/errors.js'
import type { Io } from '../seam/io.js'
import type { Command, CommandGroup } from './command.js'
import { groupHelp } from './help.js'

/**
 * The group's command that the next word names, with the arguments after it; or the group's
 * help when that word asks for it. Without a known word, the help goes to stderr, as main's does.
 */
export function pickFromGroup(
  group: CommandGroup,
  args: string[],
  io: Pick<Io, 'stderr'>
): { command: Command; args: string[] } | { help: string } {
  const [word = '', ...rest] = args
  if (['--help', '-h', 'help'].includes(word)) return { help: groupHelp(group) }
  const command = group.commands.find((known) => known.name === `${group.name} ${word}`)
  if (command) return { command, args: rest }
  io.stderr.write(groupHelp(group))
  const what = word
    ? `Unknown command ${quoteInput(`${group.name} ${word}`)}.`
    : `No ${group.name} command given.`
  const names = group.commands.map((known) => known.name).join(', ')
  throw new UsageError(`${what} Commands: ${names}.`)
}
