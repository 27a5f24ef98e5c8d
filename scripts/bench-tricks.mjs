// `npm run bench -- --tricks`: what each start-up trick left in scripts/build.mjs buys, in ms and MB,
// side by side in one interleaved run. Not a target: a report of the tricks' worth, to keep or drop them.
//
// The tricks: (1) a CommonJS bundle, not an ES module one (ncc `esm: false`, dist/*/package.json
// "type": "commonjs"); (2) `minify: true`. (`cache: false` is for correctness, not speed: not
// measured; every variant here is built with it, which also keeps ncc's per-entry-path cache from
// mixing the ESM and CommonJS builds of the same entry.)
//
// src/action/entries/main.ts is bundled at start, from the working tree, with ncc's API into a temporary
// directory, three ways: as build.mjs does (CommonJS, minified: the committed-style build), as an
// ES module (minified, package.json "type": "module": without trick 1), and as CommonJS unminified
// (without trick 2). Each variant's main step runs (with `installation-id`, and with the lookup)
// through the same harness as the default bench (runStep's `script` option: same env, inputs,
// file commands, leak check) against the same fake answering 50 ms after each request arrives;
// in each run every variant runs each step once, in an order that rotates from run to run. Figures
// are medians; Δ is a variant's median minus the committed-style build's: what the trick that
// variant drops buys. The requests (method, path, auth, body) must be the same for every variant,
// and 1 (installation-id) and 2 (lookup), all 2xx: exit 1 otherwise, or when a step fails.
import ncc from '@vercel/ncc'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { NCC_OPTIONS } from './bench-floor/build.mjs'
import { median, printTable } from './lib/bench-stats.mjs'
import { newJob, ROOT, runStep, startSeededFake } from './lib/local-runner.mjs'

const LATENCY_MS = 50
const ENTRY = join(ROOT, 'src/action/entries/main.ts')

/** The committed-style build first: the others are measured against it. */
const VARIANTS = [
  { key: 'cjs', label: 'CJS, minified (build.mjs)', type: 'commonjs', options: NCC_OPTIONS },
  {
    key: 'esm',
    label: 'ESM, minified (no trick 1)',
    type: 'module',
    options: { ...NCC_OPTIONS, esm: true }
  },
  {
    key: 'unminified',
    label: 'CJS, unminified (no trick 2)',
    type: 'commonjs',
    options: { ...NCC_OPTIONS, minify: false }
  }
]

/** → exit code: 0 (a report), 1 when a step fails or the variants' requests are wrong. */
export async function benchTricks({ runs, warmup }) {
  const dir = mkdtempSync(join(tmpdir(), 'mint-token-bench-tricks-'))
  try {
    return await measureTricks(dir, runs, warmup)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function measureTricks(dir, runs, warmup) {
  const problems = []
  const drift = optionDrift()
  if (drift.length > 0)
    problems.push(
      `scripts/build.mjs no longer shows ${drift.join(', ')}: the "build.mjs" variant is not what dist/ is`
    )
  let started = Date.now()
  process.stdout.write(`Bundling src/action/entries/main.ts ${VARIANTS.length} ways with ncc `)
  for (const variant of VARIANTS) {
    Object.assign(variant, await bundle(variant, join(dir, variant.key)))
    process.stdout.write('.')
  }
  process.stdout.write(` ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
  let dist = ''
  try {
    dist = readFileSync(join(ROOT, 'dist/main/index.js'), 'utf8')
  } catch {
    // No dist/: nothing to compare with, and nothing here needs it.
  }
  const sameAsDist = dist === VARIANTS[0].code

  const { fake, installation } = await startSeededFake()
  fake.latencyMs = LATENCY_MS
  const job = await newJob(fake.url)
  try {
    // The default bench's inputs (scripts/bench.mjs).
    const app = { 'app-id': String(fake.app.id), 'private-key': fake.app.privateKey }
    const token = { ...app, permissions: 'contents:read' }
    const scenarios = [
      {
        key: 'byId',
        label: 'main: installation-id',
        inputs: { ...token, 'installation-id': String(installation.id) },
        requests: 1
      },
      { key: 'lookup', label: 'main: lookup + mint', inputs: token, requests: 2 }
    ]
    const samples = {}
    for (const s of scenarios) for (const v of VARIANTS) samples[`${s.key}/${v.key}`] = []

    started = Date.now()
    process.stdout.write(
      `Benchmarking the variants' main step on Node 24, fake API latency ${LATENCY_MS} ms, ${runs} runs (+${warmup} warm-up) `
    )
    for (let i = 0; i < warmup + runs; i++) {
      const order = [
        ...VARIANTS.slice(i % VARIANTS.length),
        ...VARIANTS.slice(0, i % VARIANTS.length)
      ]
      for (const scenario of scenarios) {
        for (const variant of order) {
          const before = fake.requests.length
          const result = await runStep(job, 'main', scenario.inputs, {}, { script: variant.script })
          const requests = fake.requests.slice(before).map((r) => ({
            shown: `${r.method} ${r.path} [${r.auth}] → ${r.status}`,
            asked: `${r.method} ${r.path} [${r.auth}] ${JSON.stringify(r.body ?? null)}`
          }))
          if (result.exitCode !== 0) {
            console.error(
              `\n${variant.label}, ${scenario.label} failed (exit ${result.exitCode}). Requests: ${requests.map((r) => r.shown).join(', ') || 'none'}`
            )
            console.error(
              result.stdout.replace(/^::add-mask::.*$/gm, '::add-mask::***'),
              result.stderr
            )
            return 1
          }
          if (i >= warmup)
            samples[`${scenario.key}/${variant.key}`].push({
              wallMs: result.wallMs,
              maxRssKb: result.maxRssKb,
              requests
            })
        }
      }
      process.stdout.write('.')
    }
    process.stdout.write(` ${((Date.now() - started) / 1000).toFixed(1)} s\n\n`)

    let wrong = false
    const signed = (value, digits) => `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`
    const mb = (kb) => kb / 1024
    // The build column reads left-aligned, like the step column (printTable right-aligns the rest).
    const labelWidth = Math.max(...VARIANTS.map((v) => v.label.length))
    const rows = [
      [
        'step',
        'build'.padEnd(labelWidth),
        'bundle KB',
        'wall ms',
        'Δ wall ms',
        'peak RSS MB',
        'Δ RSS MB',
        'min–max ms'
      ]
    ]
    for (const scenario of scenarios) {
      const stats = VARIANTS.map((variant) => {
        const runsOf = samples[`${scenario.key}/${variant.key}`]
        const walls = runsOf.map((s) => s.wallMs)
        const asked = new Set(runsOf.map((s) => s.requests.map((r) => r.asked).join('\n')))
        return {
          variant,
          wall: median(walls),
          rssKb: median(runsOf.map((s) => s.maxRssKb)),
          range: `${Math.min(...walls).toFixed(0)}–${Math.max(...walls).toFixed(0)}`,
          asked,
          shown: runsOf[0].requests.map((r) => r.shown)
        }
      })
      const [base] = stats
      for (const { variant, wall, rssKb, range, asked, shown } of stats) {
        const where = `${scenario.label}, ${variant.label}`
        const before = problems.length
        if (asked.size > 1) problems.push(`${where}: requests differ between runs`)
        if (shown.length !== scenario.requests || shown.some((r) => !/→ 2\d\d$/.test(r)))
          problems.push(
            `${where}: ${shown.length} requests (${scenario.requests} expected, all 2xx): ${shown.join(', ')}`
          )
        else if ([...asked][0] !== [...base.asked][0])
          problems.push(
            `${where}: requests (method, path, auth or body) differ from the build.mjs variant's`
          )
        if (problems.length > before) wrong = true
        const isBase = variant === base.variant
        rows.push([
          isBase ? scenario.label : '',
          variant.label.padEnd(labelWidth),
          variant.kb.toFixed(1),
          wall.toFixed(0),
          isBase ? '' : signed(wall - base.wall, 0),
          mb(rssKb).toFixed(1),
          isBase ? '' : signed(mb(rssKb - base.rssKb), 1),
          range
        ])
      }
    }
    console.log(
      `Medians of ${runs} interleaved runs (order rotating). Δ = variant − CJS, minified (build.mjs):\nwhat the trick the variant drops buys. bundle KB = index.js (1024 bytes, as ncc prints).\n`
    )
    printTable(rows)
    console.log(
      `\nThe build.mjs variant is ${sameAsDist ? 'byte for byte dist/main/index.js' : 'not byte for byte dist/main/index.js (src/ changed since the last npm run build, or dist/ did)'}; all three are built from the working tree's src/.`
    )
    if (problems.length > 0) {
      console.log('\nNoticed:')
      for (const p of problems) console.log(`  - ${p}`)
    }
    return wrong ? 1 : 0
  } finally {
    await fake.close()
    job.cleanup()
  }
}

/** One variant into `out`, as build.mjs writes dist/main: index.js, assets, a package.json with its type. */
async function bundle(variant, out) {
  let built
  try {
    built = await ncc(ENTRY, variant.options)
  } catch (error) {
    const lines = String(error?.message ?? error).split('\n')
    const errors = lines.filter((line) => /ERROR|TS\d+:|error/i.test(line) && line.length < 500)
    throw new Error(
      `${variant.label}: src/action/entries/main.ts does not compile:\n${(errors.length ? errors : lines.slice(0, 5)).join('\n')}`
    )
  }
  // An ES module bundle from ncc starts with its imports; a CommonJS one never does.
  if (/^import\b/.test(built.code) !== (variant.type === 'module'))
    throw new Error(`${variant.label}: ncc did not produce the module format asked for`)
  const files = { 'index.js': built.code }
  for (const [name, asset] of Object.entries(built.assets)) files[name] = asset.source
  // ncc adds its own package.json ("type": "module") to an ES module build; say it either way.
  files['package.json'] = `{ "type": "${variant.type}" }\n`
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(out, name)), { recursive: true })
    writeFileSync(join(out, name), content)
  }
  return {
    script: join(out, 'index.js'),
    code: built.code,
    kb: Buffer.byteLength(built.code) / 1024
  }
}

/** The committed-style options (and CommonJS package.json) that scripts/build.mjs no longer shows. */
function optionDrift() {
  const build = readFileSync(join(ROOT, 'scripts/build.mjs'), 'utf8')
  const wanted = Object.entries(NCC_OPTIONS).map(([name, value]) => [
    `${name}: ${JSON.stringify(value)}`,
    new RegExp(`\\b${name}: ${JSON.stringify(value).replace(/"/g, "'")}`)
  ])
  wanted.push(["package.json 'type': 'commonjs'", /\{ "type": "commonjs" \}/])
  return wanted.filter(([, pattern]) => !pattern.test(build)).map(([shown]) => shown)
}
