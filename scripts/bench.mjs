// `npm run bench`: times the bundled steps (dist/) on Node 24 against the fake GitHub API, which
// answers each request 50 ms after it arrives (its own work included, as GitHub's response time
// includes GitHub's), and prints medians next to the targets. A report: exits 0 when a target is
// missed, 1 only when a step itself fails. Build first (`npm run build`).
import { statSync } from 'node:fs'
import { join } from 'node:path'
import {
  ensureNode24,
  newJob,
  ROOT,
  runBare,
  runStep,
  startSeededFake
} from './lib/local-runner.mjs'

ensureNode24(import.meta.filename)

const RUNS = 15
const WARMUP = 1
const LATENCY_MS = 50
const TARGET_OVER_FLOOR_MS = 60
const TARGET_MAIN_KB = 600

const distKb = (step) => {
  try {
    return statSync(join(ROOT, `dist/${step}/index.js`)).size / 1024 // KiB, as ncc prints it
  } catch {
    console.error(`dist/${step}/index.js is missing: run npm run build first.`)
    process.exit(1)
  }
}
const sizes = { main: distKb('main'), post: distKb('post') }

const { fake, installation } = await startSeededFake()
fake.latencyMs = LATENCY_MS
const job = await newJob(fake.url)

const app = { 'app-id': String(fake.app.id), 'private-key': fake.app.privateKey }
const scenarios = {
  lookup: { label: 'main: lookup + mint', inputs: { ...app, permissions: 'contents:read' } },
  post: { label: 'post: revoke', inputs: { ...app, permissions: 'contents:read' } },
  byId: {
    label: 'main: installation-id',
    inputs: { ...app, 'installation-id': String(installation.id), permissions: 'contents:read' }
  },
  jit: {
    label: 'main: runner-jit (org)',
    inputs: {
      ...app,
      owner: 'octo-org',
      'token-type': 'runner-jit',
      'runner-labels': 'self-hosted,linux'
    }
  },
  jitPost: {
    label: 'post: runner-jit',
    inputs: {
      ...app,
      owner: 'octo-org',
      'token-type': 'runner-jit',
      'runner-labels': 'self-hosted,linux'
    }
  }
}
const samples = { bare: [] }
for (const key of Object.keys(scenarios)) samples[key] = []

/** One step, with the requests it made; a failing step ends the bench with exit code 1. */
async function measure(key, step, state, record) {
  // A bare start next to every step: the floor is sampled across the same moments as the steps,
  // so a stretch where this machine runs slow weighs on both alike.
  const bare = await runBare(job)
  if (record) samples.bare.push({ wallMs: bare.wallMs, maxRssKb: bare.maxRssKb, requests: [] })
  const before = fake.requests.length
  const result = await runStep(job, step, scenarios[key].inputs, state)
  const requests = fake.requests.slice(before).map((r) => `${r.method} ${r.path} → ${r.status}`)
  if (result.exitCode !== 0) {
    console.error(
      `\n${scenarios[key].label} failed (exit ${result.exitCode}). Requests: ${requests.join(', ') || 'none'}`
    )
    console.error(result.stdout.replace(/^::add-mask::.*$/gm, '::add-mask::***'), result.stderr)
    await fake.close()
    job.cleanup()
    process.exit(1)
  }
  if (record) samples[key].push({ wallMs: result.wallMs, maxRssKb: result.maxRssKb, requests })
  return result
}

const started = Date.now()
process.stdout.write(
  `Benchmarking dist/ on Node ${process.versions.node}, fake API latency ${LATENCY_MS} ms, ${RUNS} runs (+${WARMUP} warm-up) `
)
for (let i = 0; i < WARMUP + RUNS; i++) {
  const record = i >= WARMUP
  const main = await measure('lookup', 'main', {}, record)
  await measure('post', 'post', main.state, record)
  await measure('byId', 'main', {}, record)
  const jit = await measure('jit', 'main', {}, record)
  await measure('jitPost', 'post', jit.state, record)
  process.stdout.write('.')
}
process.stdout.write(` ${((Date.now() - started) / 1000).toFixed(1)} s\n\n`)
await fake.close()
job.cleanup()

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const bareMs = median(samples.bare.map((s) => s.wallMs))
const problems = []

const rows = [
  ['step', 'requests', 'wall ms (min–max)', 'peak RSS MB', 'floor ms', 'over floor', 'target']
]
rows.push([
  'bare node -e 0',
  '0',
  `${bareMs.toFixed(0)} (${range(samples.bare)})`,
  (median(samples.bare.map((s) => s.maxRssKb)) / 1024).toFixed(1),
  '',
  '',
  ''
])
const stats = {}
for (const [key, { label }] of Object.entries(scenarios)) {
  const runs = samples[key]
  const signatures = new Set(runs.map((s) => s.requests.join('\n')))
  if (signatures.size > 1)
    problems.push(
      `${label}: requests differ between runs: ${[...signatures].map((s) => s.split('\n').length).join(' / ')}`
    )
  const requests = runs[0].requests
  for (const r of requests) if (!/→ 2\d\d$/.test(r)) problems.push(`${label}: ${r}`)
  const wall = median(runs.map((s) => s.wallMs))
  const floor = bareMs + requests.length * LATENCY_MS
  stats[key] = { wall, floor, requests }
  // #2's target is for the installation-token main step; #3 asks only for the JIT step's figures.
  const hasTarget = key === 'lookup' || key === 'byId'
  rows.push([
    label,
    `${requests.length}${signatures.size > 1 ? ' (varies!)' : ''}`,
    `${wall.toFixed(0)} (${range(runs)})`,
    (median(runs.map((s) => s.maxRssKb)) / 1024).toFixed(1),
    floor.toFixed(0),
    `${wall - floor >= 0 ? '+' : ''}${(wall - floor).toFixed(0)}`,
    hasTarget
      ? `≤ +${TARGET_OVER_FLOOR_MS} ${wall - floor <= TARGET_OVER_FLOOR_MS ? 'PASS' : 'FAIL'}`
      : ''
  ])
}
printTable(rows)

console.log('\nRequests per step (fake.requests, identical in every run unless flagged):')
for (const [key, { label }] of Object.entries(scenarios)) {
  console.log(`  ${label}: ${stats[key].requests.join(', ') || 'none'}`)
}

const byIdCount = stats.byId.requests.length
const targets = [
  [
    `main step ≤ floor + ${TARGET_OVER_FLOOR_MS} ms (lookup)`,
    `${(stats.lookup.wall - stats.lookup.floor).toFixed(0)} ms over`,
    stats.lookup.wall - stats.lookup.floor <= TARGET_OVER_FLOOR_MS
  ],
  [
    `main step ≤ floor + ${TARGET_OVER_FLOOR_MS} ms (installation-id)`,
    `${(stats.byId.wall - stats.byId.floor).toFixed(0)} ms over`,
    stats.byId.wall - stats.byId.floor <= TARGET_OVER_FLOOR_MS
  ],
  ['with installation-id: exactly 1 request', `${byIdCount}`, byIdCount === 1],
  [
    `dist/main/index.js ≤ ${TARGET_MAIN_KB} KB`,
    `${sizes.main.toFixed(1)} KB`,
    sizes.main <= TARGET_MAIN_KB
  ]
]
console.log(
  `\ndist sizes (KB = 1024 bytes, as ncc prints): main ${sizes.main.toFixed(1)} KB (${Math.round(sizes.main * 1024)} bytes), post ${sizes.post.toFixed(1)} KB`
)
console.log(
  `floor = median bare Node 24 start (${bareMs.toFixed(0)} ms, ${samples.bare.length} starts, one before each measured step) + requests × ${LATENCY_MS} ms\n`
)
printTable([
  ['target', 'measured', 'result'],
  ...targets.map(([t, m, ok]) => [t, m, ok ? 'PASS' : 'FAIL'])
])
if (problems.length > 0) {
  console.log('\nNoticed:')
  for (const p of problems) console.log(`  - ${p}`)
}

function range(runs) {
  const walls = runs.map((s) => s.wallMs)
  return `${Math.min(...walls).toFixed(0)}–${Math.max(...walls).toFixed(0)}`
}

function printTable(table) {
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)))
  const line = (row) =>
    row
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd()
  console.log(line(table[0]))
  console.log(widths.map((w) => '─'.repeat(w)).join('  '))
  for (const row of table.slice(1)) console.log(line(row))
}
