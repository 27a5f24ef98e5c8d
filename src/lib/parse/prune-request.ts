import { inputField, type Field } from '../field.js'
import type { ExplicitRunner, PruneRequest, RunnerSelection } from '../requests.js'
import { InputError } from '../input-error.js'
import { isPositiveId } from './is-positive-id.js'
import { parseName, parseNamePrefix } from './runner-settings.js'
import { refuseEnterprise, runnerScope } from './runner-scope.js'
import { parseTarget, type TargetFields } from './parse-target.js'
import { quoteInput } from '../text/quote-input.js'
import { splitList } from '../text/split-list.js'
import { parseOlderThan } from '../prune/parse-older-than.js'

/**
 * The prune settings, read by the prune-runners sub-action's input names ('runner-name-prefix',
 * 'older-than', ...); a front end with other names maps them in `read` and names them with `field`.
 */
export interface PruneReaders {
  read: (name: string) => string
  readBoolean: (name: string) => boolean
  field?: (name: string) => Field
  /** owner/repo of the workflow's repository (GITHUB_REPOSITORY), the default target. */
  currentRepository?: string
  /** Advice when entries name two owners: "use one step per owner". */
  onePerOwner?: string
}

/**
 * What to prune, read and validated before any request. Defaults ('mint-token', '1h', false) are
 * the front end's (prune-runners/action.yml); an empty prefix is refused, never defaulted, because
 * it would match every runner.
 */
export function parsePruneRequest({
  read,
  readBoolean,
  field = inputField,
  currentRepository,
  onePerOwner = 'use one step per owner'
}: PruneReaders): PruneRequest {
  const fields: TargetFields = {
    owner: field('owner'),
    repositories: field('repositories'),
    onePerOwner
  }
  refuseEnterprise(read('owner'), fields)
  const target = parseTarget(read('owner'), read('repositories'), currentRepository, fields)
  const common = { target, scope: runnerScope(target, fields), dryRun: readBoolean('dry-run') }
  const runner = parseExplicit(read('runner-id').trim(), read('runner-name').trim(), field)
  if (runner) return { ...common, kind: 'explicit', runner }
  const selection: RunnerSelection = {
    prefix: parsePrefix(read('runner-name-prefix').trim(), field('runner-name-prefix')),
    labels: uniqueLabels(read('runner-labels')),
    olderThanMs: parseOlderThan(read('older-than'), field('older-than')),
    includeUnknownAge: readBoolean('include-unknown-age')
  }
  return { ...common, kind: 'selection', selection }
}

function parsePrefix(raw: string, field: Field): string {
  if (!raw) {
    throw new InputError(
      `${field.subject} is empty; expected the prefix of the runner names to prune (e.g. 'mint-token'). It can't be empty: only runners whose name starts with it are ever touched.`
    )
  }
  return parseNamePrefix(raw, field)
}

function uniqueLabels(raw: string): string[] {
  const seen = new Set<string>()
  return splitList(raw).filter((l) => !seen.has(l.toLowerCase()) && seen.add(l.toLowerCase()))
}

function parseExplicit(
  id: string,
  name: string,
  field: (name: string) => Field
): ExplicitRunner | undefined {
  const idField = field('runner-id')
  const nameField = field('runner-name')
  if (id && name) {
    throw new InputError(
      `${idField.kind === 'input' ? `Inputs ${idField.name}` : idField.subject} (${quoteInput(id)}) and ${nameField.name} (${quoteInput(name)}) are both set; set one of them to remove that runner, or neither to prune by ${field('runner-name-prefix').name} and ${field('older-than').name}.`
    )
  }
  if (id) {
    if (!isPositiveId(id)) {
      throw new InputError(
        `${idField.subject} is ${quoteInput(id)}; expected a runner's ID, a positive whole number (Settings → Actions → Runners, or the 'runner-id' output of mint-token).`
      )
    }
    return { by: 'id', id: Number(id) }
  }
  const named = parseName(name, nameField)
  return named ? { by: 'name', name: named } : undefined
}
