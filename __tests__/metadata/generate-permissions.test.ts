import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './workflow-checks.js'

/**
 * scripts/generate-permissions.mjs writes src/generated/app-permissions.ts and action.yml's block
 * of `permission-<name>` inputs from the same source (@octokit/openapi); `--check` fails when either
 * has drifted from it, so a hand edit or a dependency bump without `npm run generate` is caught.
 */

const SCRIPT = join(ROOT, 'scripts/generate-permissions.mjs')
const generate = (...args: string[]) =>
  spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' })

/** A copy of the two generated files in a fresh folder, for --root. */
function copyOfGenerated(edit: (actionYml: string) => string): string {
  const root = mkdtempSync(join(tmpdir(), 'mint-token-generate-'))
  mkdirSync(join(root, 'src/generated'), { recursive: true })
  const module = 'src/generated/app-permissions.ts'
  writeFileSync(join(root, module), readFileSync(join(ROOT, module)))
  writeFileSync(join(root, 'action.yml'), edit(readFileSync(join(ROOT, 'action.yml'), 'utf8')))
  return root
}

test('the committed files are what the generator writes', () => {
  const result = generate('--check')
  expect(result.stderr).toBe('')
  expect(result.status).toBe(0)
})

test('a permission input removed by hand is caught, and npm run generate puts it back', () => {
  const dropped = (text: string) => text.replace(/^ {2}permission-issues:\n(?: {4}.*\n)+/m, '')
  const root = copyOfGenerated(dropped)
  const check = generate('--check', '--root', root)
  expect(check.status).toBe(1)
  expect(check.stderr).toMatch(
    /^Out of date with @octokit\/openapi [\d.]+: action\.yml\. Run 'npm run generate'\.\n$/
  )
  expect(generate('--root', root).status).toBe(0)
  expect(readFileSync(join(root, 'action.yml'), 'utf8')).toBe(
    readFileSync(join(ROOT, 'action.yml'), 'utf8')
  )
})
