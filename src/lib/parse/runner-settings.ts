import { inputField, type Field } from '../field.js'
import type { JitSettings, RunnerCleanup, RunnerScope } from '../requests.js'
import { InputError } from '../input-error.js'
import { MAX_PREFIX_LENGTH, MAX_RUNNER_NAME_LENGTH } from '../runners/runner-name-format.js'
import { isPositiveId } from './is-positive-id.js'
import { quoteInput } from '../text/quote-input.js'
import { splitList } from '../text/split-list.js'

/**
 * The runner settings, read by the action's input names ('runner-labels', ...); a front end with
 * other names passes `read` that maps them and `field` that names them in messages.
 */
export interface SettingReaders {
  read: (name: string) => string
  field?: (name: string) => Field
}

export function parseJitSettings(
  { read, field = inputField }: SettingReaders,
  scope: RunnerScope
): JitSettings {
  const labels = [...new Set(splitList(read('runner-labels')))]
  if (labels.length === 0 || labels.length > 100) {
    throw new InputError(
      `${field('runner-labels').subject} has ${labels.length} labels; a JIT runner needs 1 to 100 (e.g. 'self-hosted, linux, x64, gpu'). They are sent exactly as given, so include every label your 'runs-on' uses.`
    )
  }
  return {
    labels,
    group: parseGroup(read('runner-group').trim(), scope, field('runner-group')),
    name: parseName(read('runner-name').trim(), field('runner-name')),
    namePrefix: parseNamePrefix(
      read('runner-name-prefix').trim() || 'mint-token',
      field('runner-name-prefix')
    ),
    workFolder: parseWorkFolder(
      read('runner-work-folder').trim() || '_work',
      field('runner-work-folder')
    ),
    cleanup: parseCleanup(read('runner-cleanup').trim() || 'never', field('runner-cleanup'))
  }
}

function parseGroup(raw: string, scope: RunnerScope, field: Field): number | string | undefined {
  if (!raw) return undefined
  if (/^\d+$/.test(raw)) {
    if (isPositiveId(raw)) return Number(raw)
    throw new InputError(
      `${field.subject} is ${quoteInput(raw)}, but a runner group ID is a whole number from 1 to ${Number.MAX_SAFE_INTEGER}, without leading zeros. Pass the group's ID or its name.`
    )
  }
  if (scope.kind === 'repo') {
    throw new InputError(
      `${field.subject} is ${quoteInput(raw)}, but runner groups belong to organizations; a repository runner joins group 1. Leave it empty, or register at the organization level.`
    )
  }
  return raw
}

/**
 * The runner's work folder, which the runner resolves against its own directory: it must stay
 * inside it, so no absolute path and no '..' segment; no control characters either, as the JIT
 * configuration carries the folder into the runner's files and logs.
 */
function parseWorkFolder(raw: string, field: Field): string {
  const problem = workFolderProblem(raw)
  if (!problem) return raw
  throw new InputError(
    `${field.subject} is ${quoteInput(raw)}, which ${problem}; expected a folder inside the runner's directory, relative to it (e.g. '_work').`
  )
}

function workFolderProblem(raw: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(raw)) return 'contains a control character'
  if (/^([/\\]|[A-Za-z]:)/.test(raw)) return 'is an absolute path'
  if (raw.split(/[/\\]/).includes('..')) return "has a '..' segment"
  return undefined
}

/** A runner name or name prefix as GitHub allows them; also for prune-runners' inputs. */
export function parseName(
  raw: string,
  field: Field,
  maxLength = MAX_RUNNER_NAME_LENGTH
): string | undefined {
  if (!raw) return undefined
  if (!/^[A-Za-z0-9._-]+$/.test(raw) || raw.length > maxLength) {
    throw new InputError(
      `${field.subject} is ${quoteInput(raw)}; expected up to ${maxLength} letters, digits, '.', '_' or '-'.`
    )
  }
  return raw
}

/**
 * 'runner-name-prefix' (of the runner-jit type and of prune-runners): a name short enough that
 * every generated name keeps it whole (see MAX_PREFIX_LENGTH).
 */
export function parseNamePrefix(raw: string, field: Field): string {
  return parseName(raw, field, MAX_PREFIX_LENGTH)!
}

function parseCleanup(raw: string, field: Field): RunnerCleanup {
  if (raw === 'never' || raw === 'if-unused' || raw === 'always') return raw
  throw new InputError(
    `${field.subject} is ${quoteInput(raw)}; expected one of: never, if-unused, always.`
  )
}
