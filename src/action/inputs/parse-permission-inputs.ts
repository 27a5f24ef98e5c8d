import { APP_PERMISSIONS } from '../../generated/app-permissions.js'
import { InputError } from '../../lib/input-error.js'
import { quoteInput } from '../../lib/text/quote-input.js'
import { levenshtein } from '../../lib/permissions/nearest-name.js'
import { parsePermissions } from '../../lib/permissions/parse-permissions.js'

/** The input actions/create-github-app-token reads a permission from: `permission-pull-requests`. */
export const permissionInputName = (name: string): string =>
  `permission-${name.replaceAll('_', '-')}`

const INPUT_NAMES = Object.keys(APP_PERMISSIONS).map(permissionInputName)
// The runner passes input `permission-x` as INPUT_PERMISSION-X (upper-cased, hyphens kept).
const ENV_PREFIX = 'INPUT_PERMISSION-'

export interface PermissionReaders {
  read: (name: string) => string
  /** The step's environment: where the runner puts inputs that action.yml does not declare. */
  environment?: Readonly<Record<string, string | undefined>>
}

/**
 * The token's permissions from 'permissions' and the `permission-<name>` inputs together, or
 * `undefined` when none is set (the token then inherits every permission of the installation).
 * The same name in both, at different levels, is refused naming both inputs.
 */
export function parseAllPermissions(
  readers: PermissionReaders
): Record<string, string> | undefined {
  const fromList = parsePermissions(readers.read('permissions'))
  const fromInputs = readPermissionInputs(readers)
  if (!fromList && Object.keys(fromInputs).length === 0) return undefined
  const permissions = { ...fromList }
  for (const [name, level] of Object.entries(fromInputs)) {
    const listed = permissions[name]
    if (listed !== undefined && listed !== level) {
      throw new InputError(
        `Inputs 'permissions' and '${permissionInputName(name)}' both set '${name}', to '${listed}' and to '${level}'. Keep one.`
      )
    }
    permissions[name] = level
  }
  return permissions
}

/** The `permission-<name>` inputs that are set, by permission name, as actions/create-github-app-token reads them. */
export function readPermissionInputs(readers: PermissionReaders): Record<string, string> {
  refuseUnknownPermissionInputs(readers.environment)
  const permissions: Record<string, string> = {}
  for (const [name, levels] of Object.entries(APP_PERMISSIONS)) {
    const input = permissionInputName(name)
    const level = readers.read(input).trim().toLowerCase()
    if (level === '') continue
    if (!(levels as readonly string[]).includes(level)) {
      throw new InputError(
        `Input '${input}' is ${quoteInput(level)}; expected ${levels.map((l) => `'${l}'`).join(' or ')}.`
      )
    }
    permissions[name] = level
  }
  return permissions
}

/**
 * @actions/core reads an input only by a name we know, so a `permission-<name>` input that
 * action.yml does not declare (a typo, or a permission GitHub no longer lists) would be dropped
 * silently, and the token would then carry every permission of the installation. The runner puts
 * every `with:` key in the environment, declared or not, so look there.
 */
function refuseUnknownPermissionInputs(environment: PermissionReaders['environment']): void {
  for (const input of setInEnvironment(environment)) {
    if (INPUT_NAMES.includes(input)) continue
    // Two edits at most: a typo, not a neighbour such as 'team-discussions' → 'discussions'.
    const suggestion = INPUT_NAMES.find((known) => levenshtein(input, known) <= 2)
    const hint = suggestion ? ` Did you mean '${suggestion}'?` : ''
    throw new InputError(
      `Input ${quoteInput(input)} names no permission GitHub lists for Apps.${hint} Remove it or fix its name: ignoring it would mint a token without that limit.`
    )
  }
}

/**
 * Runner credentials carry the one permission they need: refuses 'permissions' and any
 * `permission-<name>` input, naming the first one given.
 */
export function refusePermissionsFor(tokenType: string, readers: PermissionReaders): void {
  const given = ['permissions', ...INPUT_NAMES].filter((input) => readers.read(input).trim() !== '')
  const [first] = [...given, ...setInEnvironment(readers.environment)]
  if (first === undefined) return
  throw new InputError(
    `Input '${first}' applies to 'token-type: installation' only; a ${tokenType} credential is minted with the one permission it needs. Remove '${first}'.`
  )
}

/** The `permission-<name>` inputs the runner passed with a value, declared in action.yml or not. */
function setInEnvironment(environment: PermissionReaders['environment']): string[] {
  return Object.entries(environment ?? {})
    .filter(([key, value]) => key.startsWith(ENV_PREFIX) && value?.trim())
    .map(([key]) => `permission-${key.slice(ENV_PREFIX.length).toLowerCase()}`)
}
