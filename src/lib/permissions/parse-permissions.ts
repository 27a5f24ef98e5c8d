import { APP_PERMISSIONS } from '../../generated/app-permissions.js'
import { InputError } from '../input-error.js'
import { quoteInput } from '../text/quote-input.js'
import { splitList } from '../text/split-list.js'
import { inputField, type Field } from '../field.js'
import { nearestName } from './nearest-name.js'

const DOCS =
  'https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app'

/**
 * Parses a permissions list (the action's 'permissions', the command line's --permissions): `name:level` pairs separated by commas and/or newlines, so both
 * `contents:read, issues:write` and YAML-style `contents: read` lines work. Names take `-` or `_`
 * and any case; both are normalised to GitHub's spelling. `undefined` when the input is empty, so
 * the token inherits every permission of the installation.
 */
export function parsePermissions(
  raw: string,
  field: Field = inputField('permissions')
): Record<string, string> | undefined {
  const entries = splitList(raw)
  if (entries.length === 0) return undefined
  const permissions: Record<string, string> = {}
  for (const entry of entries) {
    const { name, level } = parseEntry(entry, field)
    const previous = permissions[name]
    if (previous !== undefined && previous !== level) {
      throw new InputError(
        `${field.subject} sets '${name}' twice, to '${previous}' and to '${level}'. Keep one.`
      )
    }
    permissions[name] = level
  }
  return permissions
}

function parseEntry(entry: string, field: Field): { name: string; level: string } {
  const colon = entry.indexOf(':')
  const rawName = unquote(entry.slice(0, colon))
  const level = unquote(entry.slice(colon + 1)).toLowerCase()
  if (colon < 0 || rawName === '' || level === '') {
    throw new InputError(
      `${field.subject} has an entry ${quoteInput(entry)} that is not 'name:level'. Expected pairs like 'contents:read, issues:write'.`
    )
  }
  const name = rawName.toLowerCase().replaceAll('-', '_')
  const levels = allowedLevels(name, rawName, field)
  if (!levels.includes(level)) {
    throw new InputError(
      `${field.subject} sets '${name}' to ${quoteInput(level)}, but '${name}' allows: ${levels.join(', ')}.`
    )
  }
  return { name, level }
}

function allowedLevels(name: string, rawName: string, field: Field): readonly string[] {
  const levels: Record<string, readonly string[]> = APP_PERMISSIONS
  if (Object.hasOwn(levels, name)) return levels[name] ?? []
  const suggestion = nearestName(name, Object.keys(levels))
  const hint = suggestion ? ` Did you mean '${suggestion}'?` : ''
  throw new InputError(
    `${field.subject} names an unknown permission ${quoteInput(rawName)}.${hint} Valid names are listed at ${DOCS}`
  )
}

/** Trims and drops one pair of surrounding quotes, as YAML-minded users write `contents: 'read'`. */
function unquote(text: string): string {
  const trimmed = text.trim()
  return /^(['"]).*\1$/.test(trimmed) ? trimmed.slice(1, -1).trim() : trimmed
}
