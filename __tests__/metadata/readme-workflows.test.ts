import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ownActionDir, ROOT, workflowProblems, yamlBlocks } from './workflow-checks.js'

/**
 * Every ```yaml block of README.md is a complete workflow users copy: it must parse, have the
 * shape of a workflow, and pass this action (and its sub-actions) only inputs their action.yml
 * declares. One test per block, named by its heading and README line.
 */

const blocks = yamlBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'))

describe('README.md workflows', () => {
  test('the README has yaml blocks, and some use this action', () => {
    expect(blocks.length).toBeGreaterThan(0)
    const usesThisAction = blocks.filter((b) =>
      [...b.text.matchAll(/^\s*(?:- )?uses:\s*(\S+)/gm)].some(
        (m) => ownActionDir(m[1]!) !== undefined
      )
    )
    expect(usesThisAction.length).toBeGreaterThan(0)
  })

  test.each(blocks.map((b) => [`"${b.heading}" (README.md:${b.line})`, b] as const))(
    '%s',
    (_name, block) => {
      expect(workflowProblems(block.text, 'README.md', block.line)).toEqual([])
    }
  )
})

describe('README.md credentials', () => {
  // A ${{ }} in a script is pasted into its text before the shell runs it: a credential goes
  // through env: instead, where the shell gets it as a value (GitHub's security hardening guide).
  const credentialInScript = /\$\{\{\s*steps\.[\w-]+\.outputs\.(token|jit-config)\s*\}\}/
  test.each(blocks.map((b) => [`"${b.heading}" (README.md:${b.line})`, b] as const))(
    '%s: no run: script expands a token or JIT config',
    (_name, block) => {
      const workflow = parse(block.text) as {
        jobs?: Record<string, { steps?: { run?: string }[] }>
      }
      const scripts = Object.values(workflow.jobs ?? {}).flatMap((job) =>
        (job.steps ?? []).map((step) => step.run ?? '')
      )
      expect(scripts.filter((script) => credentialInScript.test(script))).toEqual([])
    }
  )
})

describe('workflow checks catch', () => {
  const check = (text: string) => workflowProblems(text, 'README.md', 10)
  const workflow = (step: string) =>
    `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${step}`

  test('invalid YAML, at its README line', () => {
    const problems = check(workflow("      - run: echo 'Granted: ${{ x }}'\n"))
    expect(problems).toEqual([
      'README.md:16:14: YAML: Nested mappings are not allowed in compact mappings'
    ])
  })

  test('a block that is not a workflow', () => {
    expect(check('jobs:\n  a:\n    steps: []\n')).toEqual([
      "README.md:11: no 'on' (what triggers the workflow)",
      "README.md:12: job 'a' has no 'runs-on'",
      "README.md:13: job 'a' has no 'steps' list"
    ])
  })

  test('an input that action.yml does not declare', () => {
    const step = '      - uses: my-org/mint-token@v1\n        with:\n          client_id: x\n'
    expect(check(workflow(step))).toEqual([
      "README.md:18: 'client_id' is not an input of action.yml (used by 'my-org/mint-token@v1')"
    ])
  })

  test('a sub-action whose action.yml does not exist', () => {
    const step = '      - uses: my-org/mint-token/no-such-dir@v1\n'
    expect(check(workflow(step))).toEqual([
      "README.md:16: 'my-org/mint-token/no-such-dir@v1' names no-such-dir/action.yml, which does not exist"
    ])
  })

  test('other actions are left to actionlint', () => {
    const step = '      - uses: actions/checkout@v7\n        with:\n          anything: x\n'
    expect(check(workflow(step))).toEqual([])
  })
})
