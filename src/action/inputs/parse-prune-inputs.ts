import type { ExplicitRunner, PruneRequest, RunnerSelection } from '../../lib/requests.js'
import { InputError } from '../../lib/input-error.js'
import { isPositiveId } from '../../lib/parse/is-positive-id.js'
import { parseName, parseNamePrefix } from './parse-runner-inputs.js'
import { refuseEnterprise, runnerScope } from '../../lib/parse/runner-scope.js'
import { parseTarget } from './parse-target.js'
import { quoteInput } from '../../lib/text/quote-input.js'
import { splitList } from '../../lib/text/split-list.js'
import { parseOlderThan } from '../../lib/prune/parse-older-than.js'

export interface PruneInputReaders {
  read: (name: string) => string
  readBoolean: (name: string) => boolean
  /** owner/repo of the workflow's repository (GITHUB_REPOSITORY), the default target. */
  currentRepository?: string
}

/**
 * The prune-runners inputs, read and validated before any request. Defaults ('mint-token', '1h',
 * false) live in prune-runners/action.yml; an empty prefix is refused, never defaulted, because it
 * would match every runner.
 */
export function parsePruneInputs({
  read,
  readBoolean,
  currentRepository
}: PruneInputReaders): PruneRequest {
  refuseEnterprise(read('owner'))
  const target = parseTarget(read('owner'), read('repositories'), currentRepository)
  const common = { target, scope: runnerScope(target), dryRun: readBoolean('dry-run') }
  const selection: RunnerSelection = {
    prefix: parsePrefix(read('runner-name-prefix').trim()),
    labels: uniqueLabels(read('runner-labels')),
    olderThanMs: parseOlderThan(read('older-than')),
    includeUnknownAge: readBoolean('include-unknown-age')
  }
  const runner = parseExplicit(read('runner-id').trim(), read('runner-name').trim())
  return runner
    ? { ...common, kind: 'explicit', runner }
    : { ...common, kind: 'selection', selection }
}

function parsePrefix(raw: string): string {
  if (!raw) {
    throw new InputError(
      "Input 'runner-name-prefix' is empty; expected the prefix of the runner names to prune (e.g. 'mint-token'). It can't be empty: only runners whose name starts with it are ever touched."
    )
  }
  return parseNamePrefix(raw)
}

function uniqueLabels(raw: string): string[] {
  const seen = new Set<string>()
  return splitList(raw).filter((l) => !seen.has(l.toLowerCase()) && seen.add(l.toLowerCase()))
}

function parseExplicit(id: string, name: string): ExplicitRunner | undefined {
  if (id && name) {
    throw new InputError(
      `Inputs 'runner-id' (${quoteInput(id)}) and 'runner-name' (${quoteInput(name)}) are both set; set one of them to remove that runner, or neither to prune by 'runner-name-prefix' and 'older-than'.`
    )
  }
  if (id) {
    if (!isPositiveId(id)) {
      throw new InputError(
        `Input 'runner-id' is ${quoteInput(id)}; expected a runner's ID, a positive whole number (Settings → Actions → Runners, or the 'runner-id' output of mint-token).`
      )
    }
    return { by: 'id', id: Number(id) }
  }
  const named = parseName(name, 'runner-name')
  return named ? { by: 'name', name: named } : undefined
}
