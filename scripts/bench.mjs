// `npm run bench`: times the bundled steps (dist/main, dist/post) on Node 24 against the fake GitHub
// API, which answers each request 50 ms after it arrives (its own work included, as GitHub's
// response time includes GitHub's), and sets them against a **toolkit floor**.
//
// The toolkit floor (scripts/bench-floor/) is the least an action built on @actions/core,
// @actions/github and @octokit/auth-app does to make the same requests: core.getInput, the
// toolkit's Octokit with createAppAuth, the same mint (and lookup) and revoke requests with the same
// bodies, core.setSecret, one output, the token saved to state. The bench bundles it at start, into
// a temporary directory, with the ncc options scripts/build.mjs uses (CommonJS, minified), and runs
// it through the same harness as dist/, in the same loop, each floor step next to its action step
// (which goes first alternates from run to run), so a slow stretch of this machine weighs on both.
// What the toolkit costs (undici's start-up for @actions/core's OIDC, ~80–100 ms) is thus in the
// floor and accepted; "over toolkit floor" is what mint-token's own code adds. Also measured: a bare
// `node -e 0` before every measured step, the runner-jit steps (figures only), dist/ sizes, and the
// requests each step makes (asserted: 1 with installation-id, 2 with the lookup, 1 in post).
// Each step's CPU time (user + system) is shown beside its wall time: on a machine shared with
// other work, wall times spread and CPU times barely move, so a change shows in CPU time first.
//
// Targets: main (installation-id and lookup) ≤ toolkit floor + 30 ms; post ≤ toolkit floor + 20 ms;
// request counts as above, for the action and for the floor. Figures are medians. A report: exits 0
// when the action misses a target, 1 when a step fails or the floor's own requests are wrong (then
// the bench, not the action, is broken). Build first (`npm run build`).
//
// OFFICIAL_ACTION_DIR=/path/to/create-github-app-token npm run bench: adds the official action as a
// column. Point it at a checkout of actions/create-github-app-token (e.g. `git worktree add DIR v3.1.1`
// of its repository, which commits its bundled dist/; never copy it into this repository). Its main
// and post steps (what its action.yml's `runs` names) run with its own action.yml defaults, the same
// App, permission (contents: read) and repository (this one, its default as ours), in the same loop
// as ours and the floor's (the order rotates from run to run): lookup + mint beside our lookup + mint,
// its post (revoking the token its main saved) beside ours. Printed: medians side by side, the ratio
// ours / official, and whether the requests (method, path, auth, body) are the same. Targets: main
// ≤ 0.60 and post ≤ 0.90 of the official's wall time. Without the variable, none of this runs.
// The command line (dist/cli) is measured beside the action's main step with installation-id: the
// same token (contents: read, one request) from `mint-token token --installation-id`, with the key
// in a 0600 file, in the same rotating loop; figures only, no target.
// BENCH_RUNS=3 npm run bench: fewer runs (default 15), for trying out changes.
// npm run bench -- --tricks: instead, what each start-up trick of scripts/build.mjs buys, in ms
// (scripts/bench-tricks.mjs).
// npm run bench -- --profile: instead, where each step's time goes, by package (scripts/bench-profile.mjs).
// npm run bench -- --broker: instead, the token broker under 1, 8 and 32 concurrent callers
// (scripts/bench-broker.mjs).
// npm run bench -- --packages: instead, what each package and HTTP client adds to a bare start
// (scripts/bench-packages.mjs).
// BENCH_LATENCY_MS=0 npm run bench: the fake answers at once (default 50 ms after each request
// arrives), so the figures are the steps' own work; the targets stay as they are.
import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildFloor } from './bench-floor/build.mjs'
import { benchBroker } from './bench-broker.mjs'
import { benchPackages } from './bench-packages.mjs'
import { benchProfile } from './bench-profile.mjs'
import { benchTricks } from './bench-tricks.mjs'
import { median, printTable } from './lib/bench-stats.mjs'
import { loadOfficialAction } from './lib/official-action.mjs'
import {
  ensureNode24,
  newJob,
  ROOT,
  runBare,
  runCli,
  runStep,
  startSeededFake
} from './lib/local-runner.mjs'

ensureNode24(import.meta.filename)

const RUNS = Number(process.env.BENCH_RUNS || 15)
const WARMUP = 1
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50)
const TARGET_MAIN_OVER_TOOLKIT_MS = 30
const TARGET_POST_OVER_TOOLKIT_MS = 20
/** Ours / the official action's wall time, at most (medians). */
const TARGET_MAIN_VS_OFFICIAL = 0.6
const TARGET_POST_VS_OFFICIAL = 0.9
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error(`BENCH_RUNS must be a positive integer (got '${process.env.BENCH_RUNS}')`)
  process.exit(1)
}
if (!Number.isInteger(LATENCY_MS) || LATENCY_MS < 0) {
  console.error(
    `BENCH_LATENCY_MS must be a whole number of ms (got '${process.env.BENCH_LATENCY_MS}')`
  )
  process.exit(1)
}
const args = process.argv.slice(2)
const MODES = ['--tricks', '--profile', '--packages', '--broker']
const unknown = args.filter((arg) => !MODES.includes(arg))
if (unknown.length > 0) {
  console.error(
    `npm run bench: unknown argument ${unknown.join(' ')} (there are ${MODES.join(', ')})`
  )
  process.exit(1)
}
if (args.includes('--tricks')) process.exit(await benchTricks({ runs: RUNS, warmup: WARMUP }))
if (args.includes('--profile')) process.exit(await benchProfile({ runs: RUNS }))
if (args.includes('--packages')) process.exit(await benchPackages({ runs: RUNS, warmup: WARMUP }))
if (args.includes('--broker'))
  process.exit(await benchBroker({ runs: RUNS, latencyMs: LATENCY_MS }))

const distKb = (step) => {
  try {
    return statSync(join(ROOT, `dist/${step}/index.js`)).size / 1024 // KiB, as ncc prints it
  } catch {
    console.error(`dist/${step}/index.js is missing: run npm run build first.`)
    process.exit(1)
  }
}
const sizes = { main: distKb('main'), post: distKb('post') }

let official
try {
  official = loadOfficialAction()
} catch (error) {
  console.error(error.message)
  process.exit(1)
}

let started = Date.now()
process.stdout.write('Bundling the toolkit floor (scripts/bench-floor) with ncc ')
const floor = await buildFloor()
process.stdout.write(`${((Date.now() - started) / 1000).toFixed(1)} s\n`)

const { fake, installation } = await startSeededFake()
fake.latencyMs = LATENCY_MS
// The official action refuses to start without GITHUB_REPOSITORY_OWNER, which the runner always sets.
const job = await newJob(fake.url, official ? { GITHUB_REPOSITORY_OWNER: 'octo-org' } : {})

const app = { 'app-id': String(fake.app.id), 'private-key': fake.app.privateKey }
const token = { ...app, permissions: 'contents:read' }
const byId = { ...token, 'installation-id': String(installation.id) }
const jit = {
  ...app,
  owner: 'octo-org',
  'token-type': 'runner-jit',
  'runner-labels': 'self-hosted,linux'
}
/** `floor`: the toolkit floor step of an action step, run with the same inputs. */
const scenarios = {
  byId: { label: 'main: installation-id', inputs: byId, requests: 1 },
  lookup: { label: 'main: lookup + mint', inputs: token, requests: 2 },
  post: { label: 'post: revoke', inputs: token, requests: 1 },
  jit: { label: 'main: runner-jit (org)', inputs: jit },
  jitPost: { label: 'post: runner-jit', inputs: jit },
  cliById: { label: 'cli: mint-token token --installation-id', cli: true },
  floorById: { label: 'toolkit floor main: installation-id', inputs: byId, floor: 'main' },
  floorLookup: { label: 'toolkit floor main: lookup + mint', inputs: token, floor: 'main' },
  floorPost: { label: 'toolkit floor post: revoke', inputs: token, floor: 'post' }
}
if (official) {
  // Its inputs for the same token: contents: read, on this repository (no owner, no repositories).
  const inputs = official.inputs(fake.url, { ...app, 'permission-contents': 'read' })
  scenarios.officialLookup = { label: `${official.label} main`, inputs, official: 'main' }
  scenarios.officialPost = { label: `${official.label} post`, inputs, official: 'post' }
}
/** Action step → the official's, and the most ours may take of its wall time. */
const versus = official
  ? [
      ['lookup', 'officialLookup', TARGET_MAIN_VS_OFFICIAL],
      ['post', 'officialPost', TARGET_POST_VS_OFFICIAL]
    ]
  : []
/** Action step → its toolkit floor, and that floor's target (ms over it). */
const pairs = [
  ['byId', 'floorById', TARGET_MAIN_OVER_TOOLKIT_MS],
  ['lookup', 'floorLookup', TARGET_MAIN_OVER_TOOLKIT_MS],
  ['post', 'floorPost', TARGET_POST_OVER_TOOLKIT_MS]
]
const keyFile = join(job.temp, 'app.pem')
writeFileSync(keyFile, fake.app.privateKey, { mode: 0o600 })
const cliArgs = [
  'token',
  ...['--app-id', String(fake.app.id), '--private-key-file', keyFile, '--api-url', fake.url],
  ...['--installation-id', String(installation.id), '--permissions', 'contents:read']
]
const samples = { bare: [] }
for (const key of Object.keys(scenarios)) samples[key] = []

async function finish(code) {
  await fake.close()
  job.cleanup()
  floor.cleanup()
  if (code !== undefined) process.exit(code)
}

/** One step, with the requests it made; a failing step ends the bench with exit code 1. */
async function measure(key, step, state, record) {
  // A bare start next to every step: the bare floor is sampled across the same moments as the steps.
  const bare = await runBare(job)
  if (record) samples.bare.push({ ...usageOf(bare), requests: [] })
  const { label, inputs, floor: floorStep, official: officialStep, cli } = scenarios[key]
  const before = fake.requests.length
  const script = floorStep ? floor.scripts[floorStep] : official?.scripts[officialStep]
  const result = cli
    ? await runCli(job, cliArgs)
    : await runStep(job, step, inputs, state, { script })
  const requests = fake.requests.slice(before).map((r) => ({
    shown: `${r.method} ${r.path} [${r.auth}] → ${r.status}`,
    // What must match between a floor step and its action step: what was asked, how, with what.
    asked: `${r.method} ${r.path} [${r.auth}] ${JSON.stringify(r.body ?? null)}`
  }))
  if (result.exitCode !== 0) {
    console.error(
      `\n${label} failed (exit ${result.exitCode}). Requests: ${requests.map((r) => r.shown).join(', ') || 'none'}`
    )
    console.error(result.stdout.replace(/^::add-mask::.*$/gm, '::add-mask::***'), result.stderr)
    await finish(1)
  }
  if (record) samples[key].push({ ...usageOf(result), requests })
  return result
}

/** Steps to compare, each once, in an order that rotates by run; → their results, in `runs` order. */
async function inTurn(i, runs) {
  const results = []
  for (let k = 0; k < runs.length; k++) {
    const at = (i + k) % runs.length
    results[at] = await runs[at]()
  }
  return results
}

started = Date.now()
process.stdout.write(
  `Benchmarking dist/ and the toolkit floor on Node ${process.versions.node}, fake API latency ${LATENCY_MS} ms, ${RUNS} runs (+${WARMUP} warm-up) `
)
for (let i = 0; i < WARMUP + RUNS; i++) {
  const rec = i >= WARMUP
  await inTurn(i, [
    () => measure('floorById', 'main', {}, rec),
    () => measure('byId', 'main', {}, rec),
    () => measure('cliById', 'cli', {}, rec)
  ])
  const [floorMain, main, officialMain] = await inTurn(i, [
    () => measure('floorLookup', 'main', {}, rec),
    () => measure('lookup', 'main', {}, rec),
    ...(official ? [() => measure('officialLookup', 'main', {}, rec)] : [])
  ])
  await inTurn(i, [
    () => measure('floorPost', 'post', floorMain.state, rec),
    () => measure('post', 'post', main.state, rec),
    ...(official ? [() => measure('officialPost', 'post', officialMain.state, rec)] : [])
  ])
  const jitMain = await measure('jit', 'main', {}, rec)
  await measure('jitPost', 'post', jitMain.state, rec)
  process.stdout.write('.')
}
process.stdout.write(` ${((Date.now() - started) / 1000).toFixed(1)} s\n\n`)

const signed = (ms) => `${ms >= 0 ? '+' : ''}${ms.toFixed(0)}`
const mb = (kb) => (kb / 1024).toFixed(1)
const problems = []
const bareMs = median(samples.bare.map((s) => s.wallMs))

const stats = {}
for (const [key, { label }] of Object.entries(scenarios)) {
  const runs = samples[key]
  // Between runs, as shown (method, path, auth, status): a JIT runner's body holds a new name each run.
  const signatures = new Set(runs.map((s) => s.requests.map((r) => r.shown).join('\n')))
  if (signatures.size > 1)
    problems.push(
      `${label}: requests differ between runs: ${[...signatures].map((s) => s.split('\n').length).join(' / ')}`
    )
  const requests = runs[0].requests
  for (const r of requests) if (!/→ 2\d\d$/.test(r.shown)) problems.push(`${label}: ${r.shown}`)
  const walls = runs.map((s) => s.wallMs)
  stats[key] = {
    wall: median(walls),
    rssKb: median(runs.map((s) => s.maxRssKb)),
    cpu: median(runs.map((s) => s.cpuMs)),
    range: `${Math.min(...walls).toFixed(0)}–${Math.max(...walls).toFixed(0)}`,
    requests,
    count: `${requests.length}${signatures.size > 1 ? ' (varies!)' : ''}`
  }
}
const overBare = (s) => signed(s.wall - (bareMs + s.requests.length * LATENCY_MS))

// One table: each action step beside its toolkit floor ("floor / action" cells).
const rows = [
  [
    'step',
    'requests',
    'wall ms',
    'over floor',
    'target',
    'CPU ms',
    'peak RSS MB',
    'min–max ms',
    'over bare'
  ]
]
rows.push([
  'bare node -e 0',
  '0',
  bareMs.toFixed(0),
  '',
  '',
  median(samples.bare.map((s) => s.cpuMs)).toFixed(0),
  mb(median(samples.bare.map((s) => s.maxRssKb))),
  range(samples.bare),
  ''
])
for (const [key, floorKey, target] of pairs) {
  const a = stats[key]
  const f = stats[floorKey]
  const over = a.wall - f.wall
  rows.push([
    scenarios[key].label,
    `${f.count} / ${a.count}`,
    `${f.wall.toFixed(0)} / ${a.wall.toFixed(0)}`,
    signed(over),
    `≤ +${target} ${over <= target ? 'PASS' : 'FAIL'}`,
    `${f.cpu.toFixed(0)} / ${a.cpu.toFixed(0)}`,
    `${mb(f.rssKb)} / ${mb(a.rssKb)}`,
    `${f.range} / ${a.range}`,
    `${overBare(f)} / ${overBare(a)}`
  ])
}
for (const key of ['jit', 'jitPost', 'cliById']) {
  const a = stats[key]
  rows.push([
    scenarios[key].label,
    `– / ${a.count}`,
    `– / ${a.wall.toFixed(0)}`,
    '',
    '',
    `– / ${a.cpu.toFixed(0)}`,
    `– / ${mb(a.rssKb)}`,
    `– / ${a.range}`,
    `– / ${overBare(a)}`
  ])
}
console.log(
  `Medians of ${RUNS} interleaved runs; "a / b" = toolkit floor / action. over floor = action − toolkit floor;\nover bare = wall − (bare node start ${bareMs.toFixed(0)} ms + requests × ${LATENCY_MS} ms). CPU ms = the step's\nown user + system time: it barely moves when other work shares the machine, where wall time does.\n`
)
printTable(rows)

console.log('\nRequests per step (fake.requests, identical in every run unless flagged):')
for (const [key, floorKey] of pairs) {
  const shown = (k) => stats[k].requests.map((r) => r.shown).join(', ') || 'none'
  console.log(`  ${scenarios[key].label}: ${shown(key)}`)
  const same =
    stats[floorKey].requests.map((r) => r.asked).join('\n') ===
    stats[key].requests.map((r) => r.asked).join('\n')
  console.log(`    toolkit floor: ${same ? 'the same, with the same bodies' : shown(floorKey)}`)
  if (!same)
    problems.push(
      `${scenarios[key].label}: the action's requests differ from its toolkit floor's (method, path, auth or body): ${stats[key].requests.map((r) => r.asked).join(', ')}`
    )
}
for (const key of ['jit', 'jitPost', 'cliById'])
  console.log(
    `  ${scenarios[key].label}: ${stats[key].requests.map((r) => r.shown).join(', ') || 'none'}`
  )

if (official) printVersusOfficial()

let floorBroken = false
const targets = []
for (const [key, floorKey, target] of pairs) {
  const over = stats[key].wall - stats[floorKey].wall
  targets.push([
    `${scenarios[key].label} ≤ toolkit floor + ${target} ms`,
    `${signed(over)} ms`,
    over <= target
  ])
}
for (const [key, officialKey, target] of versus) {
  const ratio = stats[key].wall / stats[officialKey].wall
  targets.push([
    `${scenarios[key].label} ≤ ${target.toFixed(2)} × ${scenarios[officialKey].label}`,
    `${ratio.toFixed(2)} ×`,
    ratio <= target
  ])
}
for (const [key, floorKey] of pairs) {
  const want = scenarios[key].requests
  const [f, a] = [stats[floorKey].requests.length, stats[key].requests.length]
  if (f !== want) floorBroken = true
  targets.push([
    `${scenarios[key].label}: ${want} request${want > 1 ? 's' : ''} (floor / action)`,
    `${f} / ${a}`,
    f === want && a === want
  ])
}
console.log(
  `\ndist sizes (KB = 1024 bytes, as ncc prints): main ${sizes.main.toFixed(1)} KB (${Math.round(sizes.main * 1024)} bytes), post ${sizes.post.toFixed(1)} KB; toolkit floor bundles: main ${floor.sizes.main.toFixed(1)} KB, post ${floor.sizes.post.toFixed(1)} KB`
)
console.log(`bare node -e 0: ${samples.bare.length} starts, one before each measured step\n`)
printTable([
  ['target', 'measured', 'result'],
  ...targets.map(([t, m, ok]) => [t, m, ok ? 'PASS' : 'FAIL'])
])
if (floor.drift.length > 0)
  problems.push(
    `scripts/build.mjs no longer shows ${floor.drift.join(', ')}: the toolkit floor is bundled differently from dist/ (scripts/bench-floor/build.mjs)`
  )
if (floorBroken)
  problems.push(
    'the toolkit floor made the wrong number of requests: its figures compare nothing (scripts/bench-floor)'
  )
if (problems.length > 0) {
  console.log('\nNoticed:')
  for (const p of problems) console.log(`  - ${p}`)
}
await finish(floorBroken ? 1 : undefined)

/** What a sample keeps of a run: wall and CPU time, peak RSS. */
function usageOf({ wallMs, cpuMs, maxRssKb }) {
  return { wallMs, cpuMs, maxRssKb }
}

function range(runs) {
  const walls = runs.map((s) => s.wallMs)
  return `${Math.min(...walls).toFixed(0)}–${Math.max(...walls).toFixed(0)}`
}

/** Ours beside the official action's: medians, the ratio, and whether the requests are the same. */
function printVersusOfficial() {
  const rows = [
    [
      'step',
      'requests',
      'wall ms',
      'ours / official',
      'target',
      'CPU ms',
      'peak RSS MB',
      'min–max ms'
    ]
  ]
  for (const [key, officialKey, target] of versus) {
    const [a, o] = [stats[key], stats[officialKey]]
    const ratio = a.wall / o.wall
    rows.push([
      scenarios[key].label,
      `${o.count} / ${a.count}`,
      `${o.wall.toFixed(0)} / ${a.wall.toFixed(0)}`,
      ratio.toFixed(2),
      `≤ ${target.toFixed(2)} ${ratio <= target ? 'PASS' : 'FAIL'}`,
      `${o.cpu.toFixed(0)} / ${a.cpu.toFixed(0)}`,
      `${mb(o.rssKb)} / ${mb(a.rssKb)}`,
      `${o.range} / ${a.range}`
    ])
  }
  console.log(
    `\nBeside ${official.label} (${official.scripts.main}, its post), the same ${RUNS} runs; "a / b" = official / action:\n`
  )
  printTable(rows)
  for (const [key, officialKey] of versus) {
    const asked = (k) => stats[k].requests.map((r) => r.asked).join('\n')
    const same = asked(key) === asked(officialKey)
    const shown = stats[officialKey].requests.map((r) => r.shown).join(', ') || 'none'
    console.log(
      `  ${scenarios[officialKey].label}: ${same ? 'the same requests as ours, with the same bodies' : shown}`
    )
    if (!same)
      problems.push(
        `${scenarios[officialKey].label}: its requests differ from ours (method, path, auth or body): ${asked(officialKey).replace(/\n/g, ', ')}`
      )
  }
}
