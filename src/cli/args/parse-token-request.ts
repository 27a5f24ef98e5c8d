import { cliField, type RequestFields } from '../../lib/field.js'
import { parseTarget } from '../../lib/parse/parse-target.js'
import { parseTokenFormat } from '../../lib/parse/parse-token-format.js'
import { parsePermissions } from '../../lib/permissions/parse-permissions.js'
import type { InstallationRequest, Target } from '../../lib/requests.js'
import { InputError } from '../../lib/input-error.js'
import { quoteInput } from '../../lib/text/quote-input.js'
import type { Deps } from '../../lib/seam/deps.js'
import type { Io } from '../seam/io.js'
import { fromFlagOrEnv } from './from-flag-or-env.js'
import { parseCredentials } from './parse-credentials.js'
import type { FlagValues } from './parse-command-line.js'

/** Later messages name flags; a value from a variable was checked by then (see parseTarget). */
const CLI_FIELDS: RequestFields = {
  owner: cliField('--owner'),
  enterprise: cliField('--enterprise'),
  repositories: cliField('--repositories'),
  installationId: cliField('--installation-id'),
  permissions: cliField('--permissions'),
  app: '--app-id/--client-id'
}

const TARGET_FIELDS = {
  owner: cliField('--owner'),
  repositories: cliField('--repositories'),
  onePerOwner: 'mint one token per owner'
}

const text = (value: FlagValues[string]) => (typeof value === 'string' ? value : '')

/**
 * The action's target rules, with one addition for the command line: given an installation ID
 * and nothing else, no owner is needed (it only serves the lookup, which the ID skips), and the
 * token covers every repository of that installation.
 */
function parseCliTarget(
  values: FlagValues,
  io: Pick<Io, 'env'>,
  currentRepository?: string
): Target {
  const [owner, repositories] = [text(values.owner), text(values.repositories)]
  const enterprise = text(values.enterprise).trim()
  if (enterprise) {
    const other = owner.trim() ? '--owner' : repositories.trim() ? '--repositories' : undefined
    if (other)
      throw new InputError(
        `--enterprise and ${other} are both given; an enterprise installation has no repositories of its own. Give --enterprise alone, or --owner/--repositories for an organization's installation.`
      )
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,98}[A-Za-z0-9])?$/.test(enterprise))
      throw new InputError(
        `--enterprise is ${quoteInput(enterprise)}; expected an enterprise's slug, as in https://github.com/enterprises/SLUG.`
      )
    return { owner: enterprise, enterprise: true }
  }
  const installationId = fromFlagOrEnv(values, 'installation-id', io.env, [
    'GITHUB_APP_INSTALLATION_ID'
  ])
  if (!owner.trim() && !repositories.trim() && !currentRepository && installationId.raw.trim())
    return { owner: '' }
  return parseTarget(owner, repositories, currentRepository, TARGET_FIELDS)
}

/**
 * An installation token request from `token` or `exec` flags: the action's defaults and checks
 * (parseTarget, parsePermissions), and nothing handed off by the library: the command line
 * delivers the token itself (a file, stdout, a child's environment).
 */
export async function parseTokenRequest(
  values: FlagValues,
  io: Pick<Io, 'env' | 'readStdin'>,
  deps: Pick<Deps, 'log' | 'readKeyFile' | 'run' | 'now'>,
  options: { rateLimit: boolean }
): Promise<InstallationRequest> {
  const target = parseCliTarget(values, io, deps.run.repository)
  const permissions = parsePermissions(text(values.permissions), cliField('--permissions'))
  const tokenFormat = parseTokenFormat(text(values['token-format']), cliField('--token-format'))
  const credentials = await parseCredentials(values, io, deps)
  return {
    ...credentials,
    target,
    fields: CLI_FIELDS,
    summary: false,
    tokenType: 'installation',
    permissions,
    tokenFormat,
    // The post step's switch: the command line has none (exec revokes by itself).
    revoke: false,
    handoff: {
      refresh: false,
      exportEnv: [],
      gitCredentials: false,
      botIdentity: false,
      rateLimit: options.rateLimit
    }
  }
}
