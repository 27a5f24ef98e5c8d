// `npm run build`: bundles each entry src/entry/NAME.ts with ncc into dist/NAME/index.js (main and
// post of the action, and one per sub-action and helper process).
// Through ncc's API rather than its CLI for one option the CLI lacks: `esm: false`. The bundle is
// CommonJS, which Node starts ~4 ms faster than the same bundle as an ES module (no ESM loader on
// the critical path of every step); dist/*/package.json says so, as the repository is "type": "module".
import ncc from '@vercel/ncc'
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')

const entries = readdirSync(join(ROOT, 'src', 'entry'))
  .filter((name) => name.endsWith('.ts'))
  .map((name) => name.slice(0, -3))

/** ncc's error carries the whole minified compiler in its stack: show only the compile errors. */
async function bundle(step) {
  try {
    return await ncc(join(ROOT, 'src', 'entry', `${step}.ts`), {
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

for (const step of entries) {
  const out = join(ROOT, 'dist', step)
  const { code, assets } = await bundle(step)
  rmSync(out, { recursive: true, force: true })
  const files = { 'index.js': code, 'package.json': '{ "type": "commonjs" }\n' }
  for (const [name, asset] of Object.entries(assets)) files[name] = asset.source
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(out, name)), { recursive: true })
    writeFileSync(join(out, name), content)
  }
  const kb = (name) => `${(Buffer.byteLength(files[name]) / 1024).toFixed(1)} KB`
  console.log(
    `dist/${step}: ${Object.keys(files)
      .map((name) => `${name} ${kb(name)}`)
      .join(', ')}`
  )
}
