// `npm run bench -- --profile`: where each step's time goes, by package. Not a target: a report.
//
// Each entry of src/action/entries is bundled at start as scripts/build.mjs bundles it (CommonJS),
// but unminified and with a source map: V8's profile gives a line per sample, and a minified
// bundle's ~30 lines would say nothing. Each step (main with the lookup, post revoking its token,
// revoke, prune-runners with nothing to prune) runs through the same harness as the bench, against
// the fake answering 50 ms after each request, under `node --cpu-prof`. Every sample is charged to
// the package (node_modules/NAME) or src/ folder of the bundle's code that was running, or that
// called the Node internals that were running (loading `node:http2` for undici is undici's cost);
// what no bundle frame is on the stack for is named as V8 or Node names it: parsing the bundle
// (wrapSafe), waiting on the fake (idle), garbage collection, Node's own start-up and exit.
// "__nccwpck_require__" is the compile and first run of the bundle's CommonJS modules (undici,
// tunnel, the toolkit's http-client): V8 charges a function's lazy compile to its caller.
// Figures are ms per run, the mean of the runs (sampling is coarse: a mean, not a median). Profiling
// slows every step down (compare the wall times with `npm run bench`): read the shares, not the ms;
// `npm run bench -- --packages` measures packages without a profiler.
// The unminified bundle parses a little slower than dist/: see `npm run bench -- --tricks`.
import ncc from '@vercel/ncc'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NCC_OPTIONS } from './bench-floor/build.mjs'
import { printTable } from './lib/bench-stats.mjs'
import { newJob, ROOT, runStep, startSeededFake } from './lib/local-runner.mjs'

const LATENCY_MS = 50
const INTERVAL_US = 200
const STEPS = ['main', 'post', 'revoke', 'prune-runners']
const RUNTIME = 'bundler runtime'
const REQUIRE = '__nccwpck_require__ (CommonJS modules: compile)'

/** → exit code: 0 (a report), 1 when a step fails. */
export async function benchProfile({ runs }) {
  const dir = mkdtempSync(join(tmpdir(), 'mint-token-bench-profile-'))
  try {
    return await profileSteps(dir, runs)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function profileSteps(dir, runs) {
  process.stdout.write('Bundling the entries unminified, with source maps ')
  const bundles = {}
  for (const step of STEPS) bundles[step] = await bundle(dir, step)
  process.stdout.write('\n')
  const { fake } = await startSeededFake()
  fake.latencyMs = LATENCY_MS
  const job = await newJob(fake.url)
  const key = { 'app-id': String(fake.app.id), 'private-key': fake.app.privateKey }
  const token = { ...key, permissions: 'contents:read' }
  const charges = Object.fromEntries(STEPS.map((step) => [step, new Map()]))
  const walls = Object.fromEntries(STEPS.map((step) => [step, 0]))
  try {
    for (let i = 0; i < runs; i++) {
      const profiled = async (step, inputs, state) => {
        const out = join(dir, 'profiles', `${step}-${i}`)
        const nodeArgs = [
          '--cpu-prof',
          `--cpu-prof-dir=${out}`,
          `--cpu-prof-interval=${INTERVAL_US}`
        ]
        const result = await runStep(job, step, inputs, state, {
          nodeArgs,
          script: bundles[step].script
        })
        if (result.exitCode !== 0)
          throw new Error(`${step} failed: ${result.stdout}${result.stderr}`)
        walls[step] += result.wallMs
        charge(charges[step], readProfile(out), bundles[step], result.wallMs)
        return result
      }
      const main = await profiled('main', token, {})
      await profiled('post', token, main.state)
      const unrevoked = await runStep(job, 'main', { ...token, revoke: 'false' })
      await profiled('revoke', { token: unrevoked.outputs.token }, {})
      await profiled('prune-runners', { ...key, owner: 'octo-org' }, {})
      process.stdout.write('.')
    }
  } catch (error) {
    console.error(`\n${error.message}`)
    return 1
  } finally {
    await fake.close()
    job.cleanup()
  }
  process.stdout.write('\n\n')
  report(charges, walls, runs)
  return 0
}

async function bundle(dir, step) {
  const entry = join(ROOT, 'src/action/entries', `${step}.ts`)
  const options = { ...NCC_OPTIONS, minify: false, sourceMap: true, sourceMapRegister: false }
  const { code, map } = await ncc(entry, options)
  const out = join(dir, step)
  mkdirSync(out, { recursive: true })
  const script = join(out, 'index.js')
  writeFileSync(script, code)
  writeFileSync(join(out, 'package.json'), '{ "type": "commonjs" }\n')
  process.stdout.write('.')
  return { script, map: new SourceMap(JSON.parse(map)), lines: code.split('\n') }
}

function readProfile(out) {
  const [file] = readdirSync(out)
  return JSON.parse(readFileSync(join(out, file), 'utf8'))
}

/** Adds one profile's ms to `into`, by bucket; wall − profile is Node's start-up and exit. */
function charge(into, profile, { script, map, lines }, wallMs) {
  const add = (bucket, ms) => into.set(bucket, (into.get(bucket) ?? 0) + ms)
  const selfUs = new Map()
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + profile.timeDeltas[i]))
  const parent = new Map()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node)
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const inBundle = (node) => node.callFrame.url.endsWith(script)
  const bucket = (node, line) => bucketOf(line, map, lines)
  /** The sampled line of the node itself; then its callers, by their function's first line. */
  const attribute = (node, line) => {
    if (line !== null) return bucket(node, line)
    for (let n = parent.get(node.id); n; n = parent.get(n.id)) {
      if (!inBundle(n)) continue
      const found = bucket(n, n.callFrame.lineNumber + 1)
      if (found !== RUNTIME && found !== REQUIRE) return found
    }
    return outside(node, parent)
  }
  for (const [id, us] of selfUs) {
    const node = byId.get(id)
    const shares = inBundle(node) ? lineShares(node) : [[null, 1]]
    for (const [line, share] of shares) add(attribute(node, line), (us * share) / 1000)
  }
  add(
    'outside the profile: Node start, exit, writing the profile',
    wallMs - (profile.endTime - profile.startTime) / 1000
  )
}

/** A node's self time by source line (1-based), as shares of it. */
function lineShares(node) {
  const ticks = node.positionTicks ?? []
  const total = ticks.reduce((sum, t) => sum + t.ticks, 0)
  if (total === 0) return [[node.callFrame.lineNumber + 1, 1]]
  return ticks.map((t) => [t.line, t.ticks / total])
}

/** A sample with no bundle frame on its stack. */
function outside(node, parent) {
  const name = node.callFrame.functionName
  if (name === '(idle)') return 'idle: waiting on the fake API'
  if (name === '(garbage collector)') return 'garbage collection'
  if (name === '(program)') return 'V8, unattributed (program)'
  for (let n = node; n; n = parent.get(n.id))
    if (n.callFrame.functionName === 'wrapSafe') return 'parsing the bundle (wrapSafe)'
  return 'Node internals (loader, start, exit)'
}

/** node_modules/NAME (or @scope/NAME), src/FOLDER/SUB, or the bundler's own runtime. */
function bucketOf(line, map, lines) {
  const text = lines[line - 1] ?? ''
  if (/__nccwpck_require__/.test(text) && /__webpack_modules__\[/.test(text)) return REQUIRE
  const entry = map.findEntry(line - 1, text.length - text.trimStart().length)
  const source = entry?.originalSource ?? ''
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(source)
  if (pkg) return pkg[1]
  const src = /\/src\/(.*)$/.exec(source)
  if (src) return `src/${src[1].split('/').slice(0, -1).slice(0, 2).join('/') || src[1]}`
  return RUNTIME
}

function report(charges, walls, runs) {
  const buckets = new Map()
  for (const step of STEPS)
    for (const [bucket, ms] of charges[step]) buckets.set(bucket, (buckets.get(bucket) ?? 0) + ms)
  const order = [...buckets].sort((a, b) => b[1] - a[1]).map(([bucket]) => bucket)
  const cell = (ms) => (ms === undefined || ms / runs < 0.05 ? '' : (ms / runs).toFixed(1))
  const rows = [['ms per run (mean)', ...STEPS]]
  rows.push(['wall (spawn → exit, profiled)', ...STEPS.map((step) => cell(walls[step]))])
  for (const bucket of order)
    rows.push([bucket, ...STEPS.map((step) => cell(charges[step].get(bucket)))])
  console.log(
    `Where the time goes, by package: ${runs} profiled run${runs > 1 ? 's' : ''} per step, --cpu-prof-interval ${INTERVAL_US} µs, fake API latency ${LATENCY_MS} ms.\n`
  )
  printTable(rows)
}
