import { cliField } from '../../lib/field.js'
import { InputError } from '../../lib/input-error.js'
import { parsePruneRequest } from '../../lib/parse/prune-request.js'
import type { CommonRequest, PruneRequest } from '../../lib/requests.js'
import type { Deps } from '../../lib/seam/deps.js'
import type { Io } from '../seam/io.js'
import type { FlagValues } from './parse-command-line.js'
import { parseCredentials } from './parse-credentials.js'
import { RUNNER_FIELDS } from './parse-runner-request.js'

/** The prune-runners sub-action's input names (which parsePruneRequest reads) → the flags. */
const PRUNE_FLAGS: Record<string, string> = {
  owner: 'owner',
  repositories: 'repository',
  'runner-name-prefix': 'name-prefix',
  'runner-labels': 'labels',
  'older-than': 'older-than',
  'include-unknown-age': 'include-unknown-age',
  'runner-id': 'id',
  'runner-name': 'name',
  'dry-run': 'dry-run'
}

/**
 * The sub-action's defaults (prune-runners/action.yml), for a flag that is not given: a given
 * but empty --name-prefix is still refused, never defaulted.
 */
const DEFAULTS: Record<string, string> = { 'name-prefix': 'mint-token', 'older-than': '1h' }

export type CliPruneRequest = PruneRequest & CommonRequest

/**
 * What `runners prune` and `runners remove` do, from their flags: the sub-action's selection
 * (or its one named runner) with its checks and wording, naming the flags; then the App. The
 * owner is never guessed from GITHUB_REPOSITORY: which runners to remove is chosen.
 */
export async function parsePruneFlags(
  values: FlagValues,
  io: Pick<Io, 'env' | 'readStdin'>,
  deps: Pick<Deps, 'log' | 'readKeyFile' | 'now'>,
  { explicit }: { explicit: boolean }
): Promise<CliPruneRequest> {
  const read = (name: string) => {
    const flag = PRUNE_FLAGS[name]!
    const value = values[flag]
    return typeof value === 'string' ? value : (DEFAULTS[flag] ?? '')
  }
  if (!read('owner').trim()) {
    throw new InputError(
      '--owner is empty; set it to the organization (or, with --repository, the repository owner) whose runners to remove.'
    )
  }
  const request = parsePruneRequest({
    read,
    readBoolean: (name) => values[PRUNE_FLAGS[name]!] === true,
    field: (name) => cliField(`--${PRUNE_FLAGS[name]!}`),
    onePerOwner: 'run it once per owner'
  })
  if (explicit && request.kind !== 'explicit') {
    throw new InputError(
      "Neither --id nor --name is given; set one of them to the runner to remove. To remove stale runners by age, use 'mint-token runners prune'."
    )
  }
  const credentials = await parseCredentials(values, io, deps)
  return { ...request, ...credentials, fields: RUNNER_FIELDS, summary: false }
}
