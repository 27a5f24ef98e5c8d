// `npm run build`: bundles each entry with ncc into dist/NAME/index.js: the action's steps
// (src/action/entries/NAME.ts: main, post, and one per sub-action) and the token refresher's
// process (src/refresher/entry.ts → dist/refresh), and the command line (src/cli/entry.ts →
// dist/cli, package.json's `bin`: a #! line and the executable bit, so `mint-token` runs it).
// Through ncc's API rather than its CLI for one option the CLI lacks: `esm: false`. The bundle is
// CommonJS, which Node starts ~4 ms faster than the same bundle as an ES module (no ESM loader on
// the critical path of every step); dist/*/package.json says so, as the repository is "type": "module".
import ncc from '@vercel/ncc'
import { chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')

const ACTION_ENTRIES = join(ROOT, 'src', 'action', 'entries')
/** dist/NAME → its source. */
const entries = new Map([
  ...readdirSync(ACTION_ENTRIES)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => [name.slice(0, -3), join(ACTION_ENTRIES, name)]),
  ['refresh', join(ROOT, 'src', 'refresher', 'entry.ts')],
  ['cli', join(ROOT, 'src', 'cli', 'entry.ts')]
])
const EXECUTABLES = new Set(['cli'])

/** ncc's error carries the whole minified compiler in its stack: show only the compile errors. */
async function bundle(step) {
  try {
    return await ncc(entries.get(step), {
      esm: false,
      // No webpack cache: ncc keys it by entry path only, so a cache left by an ES module build of
      // the same path is reused for this CommonJS one and yields a broken mix of both.
      cache: false,
      minify: true,
      license: 'licenses.txt',
      quiet: true
    })
  } catch (error) {
    const lines = String(error?.message ?? error).split('\n')
    const errors = lines.filter((line) => /ERROR|TS\d+:|error/i.test(line) && line.length < 500)
    console.error(
      `npm run build: ${step} does not compile:\n${(errors.length ? errors : lines.slice(0, 5)).join('\n')}`
    )
    process.exit(1)
  }
}

for (const step of entries.keys()) {
  const out = join(ROOT, 'dist', step)
  const { code, assets } = await bundle(step)
  rmSync(out, { recursive: true, force: true })
  const shebang = EXECUTABLES.has(step) && !code.startsWith('#!') ? '#!/usr/bin/env node\n' : ''
  const files = { 'index.js': shebang + code, 'package.json': '{ "type": "commonjs" }\n' }
  for (const [name, asset] of Object.entries(assets)) files[name] = asset.source
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(out, name)), { recursive: true })
    writeFileSync(join(out, name), content)
  }
  if (EXECUTABLES.has(step)) chmodSync(join(out, 'index.js'), 0o755)
  const kb = (name) => `${(Buffer.byteLength(files[name]) / 1024).toFixed(1)} KB`
  console.log(
    `dist/${step}: ${Object.keys(files)
      .map((name) => `${name} ${kb(name)}`)
      .join(', ')}`
  )
}
