import { cliField } from '../../lib/field.js'
import { failedRunnersMessage } from '../../lib/prune/prune-result.js'
import { pruneRunners } from '../../lib/prune/prune-runners.js'
import { withRunnerAdminToken } from '../../lib/runners/with-runner-admin-token.js'
import { CREDENTIAL_FLAGS, RUNNER_HOME_FLAGS, type Flag } from '../args/flags.js'
import type { FlagValues } from '../args/parse-command-line.js'
import { parsePruneFlags } from '../args/parse-prune-flags.js'
import { pruneJson, pruneTable } from '../output/prune-report.js'
import { EXIT } from '../seam/errors.js'
import type { Command, CommandContext, CommandGroup } from './command.js'

const DRY_RUN: Flag = {
  name: 'dry-run',
  type: 'boolean',
  help: 'decide and report; remove nothing'
}

const OUTPUT = `Output (stdout, one JSON object): dry_run, removed ([{id, name}]; in a dry run what would
be removed), kept, left, failed ([{id, name, reason}]) and runners: one row per runner considered
(id, name, status, busy, labels, age_seconds (null when the name carries no time), decision,
reason). Standard error shows the same rows as a table. The installation needs
organization_self_hosted_runners: write (administration: write for --repository); an intermediate
token with only that permission is used and revoked. Exit 1 if a runner could not be removed.`

/** `mint-token runners prune`: the prune-runners sub-action's scheduled clean-up. */
const pruneCommand: Command = {
  name: 'runners prune',
  summary: 'Remove stale offline runners that mint-token registered (never a busy one).',
  usage:
    '--owner ORG [--repository NAME] [--name-prefix P] [--labels A,B] [--older-than AGE] [--dry-run]',
  flags: [
    ...CREDENTIAL_FLAGS,
    ...RUNNER_HOME_FLAGS,
    {
      name: 'name-prefix',
      type: 'string',
      value: 'P',
      help: 'only runners whose name starts with P (default mint-token)'
    },
    { name: 'labels', type: 'string', value: 'A,B', help: 'only runners with every one of these' },
    {
      name: 'older-than',
      type: 'string',
      value: 'AGE',
      help: 'only runners older than this, from the time in their name: 30m, 2h, 1d (default 1h)'
    },
    {
      name: 'include-unknown-age',
      type: 'boolean',
      help: 'also offline runners whose name carries no time'
    },
    DRY_RUN
  ],
  details: `Only an offline, idle runner is removed, and each is looked at again right before its
DELETE; an online, busy or young one is kept. Ages are on GitHub's clock.

${OUTPUT}

Examples:
  mint-token runners prune --owner octo-org --dry-run
  mint-token runners prune --owner octo-org --labels gpu --older-than 2h | jq '.removed[].name'`,
  run: (values, _rest, ctx) => prune(values, ctx, { explicit: false })
}

/** `mint-token runners remove`: the sub-action's one named runner (runner-id, runner-name). */
const removeCommand: Command = {
  name: 'runners remove',
  summary: 'Deprovision one runner by ID or name, online or offline, never while it is busy.',
  usage: '--owner ORG [--repository NAME] (--id N | --name NAME) [--dry-run]',
  flags: [
    ...CREDENTIAL_FLAGS,
    ...RUNNER_HOME_FLAGS,
    { name: 'id', type: 'string', value: 'N', help: "the runner's ID" },
    { name: 'name', type: 'string', value: 'NAME', help: "the runner's name, whatever its prefix" },
    DRY_RUN
  ],
  details: `The age rules do not apply. A runner that is running a job is not removed (exit 1).

${OUTPUT}

Example:
  mint-token runners remove --owner octo-org --name build-box-7`,
  run: (values, _rest, ctx) => prune(values, ctx, { explicit: true })
}

export const runnersGroup: CommandGroup = {
  name: 'runners',
  summary: 'Prune stale self-hosted runners, or remove one (the prune-runners sub-action).',
  commands: [pruneCommand, removeCommand]
}

/**
 * As the sub-action: every flag checked before a request, then the prune with an installation
 * token that has only the runner permission (revoked straight after). The report is printed
 * before a failure to remove a runner fails the command, so a script still reads what was done.
 */
async function prune(
  values: FlagValues,
  { io, deps }: CommandContext,
  options: { explicit: boolean }
): Promise<number> {
  const request = await parsePruneFlags(values, io, deps, options)
  const result = await withRunnerAdminToken(deps, request, (github, _forCleanup, withBudget) =>
    // GitHub's clock: it has been learned from the token's reply before any age is judged.
    pruneRunners(github, request, {
      logger: deps.log,
      now: () => deps.github.clock.now(),
      withBudget,
      explicitFields: { id: cliField('--id'), name: cliField('--name') }
    })
  )
  const report = { dryRun: request.dryRun }
  io.stdout.write(`${JSON.stringify(pruneJson(result, report))}\n`)
  // After the library's line per runner (the progress of a long prune), the report as a whole.
  deps.log.info(`\n${pruneTable(result, report).trimEnd()}`)
  const failed = failedRunnersMessage(result)
  if (failed) throw new Error(failed)
  return EXIT.ok
}
