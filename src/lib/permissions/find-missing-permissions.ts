import { inputField, type Field } from '../field.js'
import { neutralize } from '../text/neutralize.js'

/** A requested permission the installation does not grant, or grants at a lower level. */
export interface MissingPermission {
  name: string
  requested: string
  granted?: string
}

const LEVELS = ['read', 'write', 'admin']

/**
 * The requested permissions that the installation cannot hand out. Asking GitHub for them would
 * fail with a bare 422, so callers check first and explain. Levels order read < write < admin.
 */
export function findMissingPermissions(
  requested: Record<string, string>,
  granted: Record<string, string>
): MissingPermission[] {
  return Object.entries(requested).flatMap(([name, level]) => {
    const has = Object.hasOwn(granted, name) ? granted[name] : undefined
    if (has !== undefined && LEVELS.indexOf(has) >= LEVELS.indexOf(level)) return []
    return [
      has === undefined ? { name, requested: level } : { name, requested: level, granted: has }
    ]
  })
}

/**
 * One line (it becomes an `::error::` line) saying what is missing and both ways to fix it.
 * `neededFor` replaces "what input 'permissions' asks for" when the permissions are not the
 * user's own choice (e.g. "what registering runners needs"); the advice to lower them is then
 * left out. `field` names where the user's permissions came from (the action's input by default).
 */
export function describeMissingPermissions(
  missing: readonly MissingPermission[],
  context: { appSlug: string; account: string; neededFor?: string; field?: Field }
): string {
  const list = missing
    .map(
      (m) => `${m.name}: ${m.requested} (installation grants ${neutralize(m.granted ?? 'none')})`
    )
    .join(', ')
  const them = missing.length === 1 ? 'it' : 'them'
  const field = context.field ?? inputField('permissions')
  const asked = context.neededFor ?? `what ${field.subject.replace(/^Input/, 'input')} asks for`
  const lower = context.neededFor ? '' : `Either lower ${them} in ${field.name}, or add`
  const add = lower ? `${lower} ${them}` : `Add ${them}`
  // The slug, the account and the granted levels come from GitHub's reply: foreign text.
  const app = neutralize(context.appSlug)
  const account = neutralize(context.account)
  return (
    `The GitHub App '${app}' installation on '${account}' does not grant ${asked}: ${list}. ` +
    `${add} in the App's settings (Permissions & events) and have the installation owner accept the new permissions.`
  )
}
