import { ACTION_FIELDS, inputField } from '../../lib/field.js'
import { InputError } from '../../lib/input-error.js'
import type { OwnersRequest } from '../../lib/mint/mint-for-owners.js'
import { parseOwners } from '../../lib/parse/parse-owners.js'
import { quoteInput } from '../../lib/text/quote-input.js'
import type { ActionContext } from '../action-context.js'
import { parseCommonInputs, readBoolean } from './parse-inputs.js'
import { parseAllPermissions } from './parse-permission-inputs.js'
import { parseRevoke } from './parse-revoke.js'

const OWNERS = inputField('owners')

/** Inputs that choose one installation or repository set, which 'owners' chooses per owner. */
const TARGET_INPUTS: Record<string, string> = {
  owner: "'owners' names every account; move this one into the list",
  repositories:
    "with 'owners' each token covers every repository of its owner's installation; to choose repositories, use one step per owner with 'owner' and 'repositories'",
  'installation-id': "'owners' looks each owner's installation up; remove 'installation-id'",
  enterprise: 'an enterprise installation is one token of its own; use a step of its own for it',
  'broker-url': "a broker's policy grants one owner's token; use one step per policy"
}

/** Inputs that hand one token on, or ask about one: with 'owners' there are several. */
const ONE_TOKEN_INPUTS = [
  'export-env',
  'token-file',
  'git-credentials',
  'token-refresh',
  'bot-identity',
  'rate-limit'
]

/**
 * The 'owners' request, or undefined when 'owners' is empty (one token, see parseInputs). Read
 * and checked before any request: whatever 'owners' cannot do with several tokens is refused
 * naming both inputs.
 */
export function parseOwnersInputs(
  ctx: Pick<ActionContext, 'core' | 'run' | 'readKeyFile' | 'now'>
): OwnersRequest | undefined {
  const { core, run } = ctx
  const raw = core.getInput('owners')
  if (raw.trim() === '') return undefined
  const tokenType = core.getInput('token-type').trim() || 'installation'
  if (tokenType !== 'installation') {
    throw new InputError(
      `Input 'owners' applies to 'token-type: installation' only; 'token-type' is ${quoteInput(tokenType)}, and a runner credential is minted for one organization or repository. Remove 'owners'.`
    )
  }
  refuseBesideOwners(core)
  const owners = parseOwners(raw, OWNERS)
  // Its target (this repository, as 'owner' and 'repositories' are empty) is not used: each
  // owner is its own target.
  const { app, apiUrl, summary } = parseCommonInputs(ctx)
  const readers = { read: (name: string) => core.getInput(name), environment: run.environment }
  return {
    owners,
    app,
    apiUrl,
    summary,
    permissions: parseAllPermissions(readers),
    revoke: parseRevoke({ ...readers, readBoolean: (name) => readBoolean(core, name) }),
    fields: { ...ACTION_FIELDS, owner: OWNERS, repositories: OWNERS }
  }
}

function refuseBesideOwners(core: ActionContext['core']): void {
  for (const [input, why] of Object.entries(TARGET_INPUTS)) {
    if (core.getInput(input).trim() !== '')
      throw new InputError(`Inputs 'owners' and '${input}' are both set: ${why}.`)
  }
  for (const input of ONE_TOKEN_INPUTS) {
    const value = core.getInput(input).trim()
    if (value === '' || value.toLowerCase() === 'false') continue
    throw new InputError(
      `Inputs 'owners' and '${input}' are both set: '${input}' works with one token, and 'owners' mints one per owner. Remove '${input}', and use each token through the 'tokens' output (fromJSON(steps.<id>.outputs.tokens)['<owner>']).`
    )
  }
}
