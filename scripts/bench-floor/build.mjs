// Bundles the toolkit floor (main.mjs, post.mjs here) for `npm run bench`, into a temporary
// directory, exactly as scripts/build.mjs bundles the action: ncc's API with esm: false,
// cache: false, minify: true (and its license option), CommonJS out, with a package.json saying so.
// Never committed, never in dist/.
import ncc from '@vercel/ncc'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

/** The options of scripts/build.mjs; buildFloor() checks that file still says them. */
export const NCC_OPTIONS = {
  esm: false,
  cache: false,
  minify: true,
  license: 'licenses.txt',
  quiet: true
}

/** → { dir, scripts: { main, post }, sizes: { main, post } (KiB), cleanup(), drift: string[] } */
export async function buildFloor() {
  const dir = mkdtempSync(join(tmpdir(), 'mint-token-bench-floor-'))
  const scripts = {}
  const sizes = {}
  for (const step of ['main', 'post']) {
    const out = join(dir, step)
    const { code, assets } = await ncc(join(import.meta.dirname, `${step}.mjs`), NCC_OPTIONS)
    const files = { 'index.js': code, 'package.json': '{ "type": "commonjs" }\n' }
    for (const [name, asset] of Object.entries(assets)) files[name] = asset.source
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(out, name)), { recursive: true })
      writeFileSync(join(out, name), content)
    }
    scripts[step] = join(out, 'index.js')
    sizes[step] = Buffer.byteLength(code) / 1024 // KiB, as ncc prints it
  }
  return {
    dir,
    scripts,
    sizes,
    drift: optionDrift(),
    cleanup: () => rmSync(dir, { recursive: true, force: true })
  }
}

/** The bundling options scripts/build.mjs no longer shows, if any: the floor would then differ. */
function optionDrift() {
  const build = readFileSync(resolve(import.meta.dirname, '../build.mjs'), 'utf8')
  return Object.entries(NCC_OPTIONS)
    .filter(
      ([name, value]) =>
        !new RegExp(`\\b${name}: ${JSON.stringify(value)}`.replace(/"/g, "'")).test(build)
    )
    .map(([name, value]) => `${name}: ${JSON.stringify(value)}`)
}
