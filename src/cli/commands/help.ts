import { HELP_FLAG, type Flag } from '../args/flags.js'
import type { Command, CommandGroup } from './command.js'

type Listed = Pick<Command, 'name' | 'summary'>

/** The commands in two columns: name, then its one-line summary. */
function commandLines(commands: Listed[]): string[] {
  const width = Math.max(...commands.map((command) => command.name.length)) + 2
  return commands.map((command) => `  ${command.name.padEnd(width)}${command.summary}`)
}

/** `mint-token NAME --help`: usage, the flags in two columns, then the details. */
export function commandHelp(command: Command): string {
  const rows = [...command.flags, HELP_FLAG].map(
    (flag: Flag) => [`--${flag.name}${flag.value ? ` ${flag.value}` : ''}`, flag.help] as const
  )
  const width = Math.max(...rows.map(([left]) => left.length)) + 2
  const lines = rows.map(([left, help]) => `  ${left.padEnd(width)}${help}`)
  return `Usage: mint-token ${command.name} ${command.usage}\n\n${command.summary}\n\nFlags:\n${lines.join('\n')}\n\n${command.details.trim()}\n`
}

/** `mint-token --help`: the commands and where to read more. */
export function mainHelp(commands: Listed[]): string {
  return [
    'Usage: mint-token COMMAND [flags]',
    '',
    'Short-lived GitHub App credentials outside GitHub Actions, minted by the same code as the mint-token action.',
    '',
    'Commands:',
    ...commandLines(commands),
    '',
    "Run 'mint-token COMMAND --help' for a command's flags. 'mint-token --version' prints the version.",
    'The result (one JSON object) goes to standard output, messages to standard error.',
    'Exit codes: 0 done, 1 GitHub or the network refused or failed, 2 a usage or input error.',
    ''
  ].join('\n')
}

/** `mint-token runners --help`: the group's commands. */
export function groupHelp(group: CommandGroup): string {
  return [
    `Usage: mint-token ${group.name} COMMAND [flags]`,
    '',
    group.summary,
    '',
    'Commands:',
    ...commandLines(group.commands),
    '',
    `Run 'mint-token ${group.name} COMMAND --help' for a command's flags.`,
    ''
  ].join('\n')
}
