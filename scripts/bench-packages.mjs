// `npm run bench -- --packages`: what each package costs a step's start, and what the first request
// costs through each HTTP client at hand. Not a target: the figures behind the start-up note.
//
// Small entries, each bundled as scripts/build.mjs bundles dist/ (ncc: CommonJS, minified), run as
// `node FILE` with nothing else (no harness, no preload), interleaved, the order rotating per run;
// medians. The ladder adds one import per rung, in the order the steps load them (so each Δ is what
// that package adds on top of the ones above it); the request rungs each add one DELETE, answered at
// once by a local server, to @actions/core (which every step loads). Two rungs show what the steps
// could start in if undici were evaluated only when used: @actions/core imports it (through
// @actions/http-client) for an OIDC client the steps never call; there, a stand-in that loads undici
// on first use takes its place (ncc `externals`). Then dist/'s entries and the
// official action's (OFFICIAL_ACTION_DIR, see scripts/bench.mjs) on a path that sends nothing: no
// inputs, no state.
import ncc from '@vercel/ncc'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NCC_OPTIONS } from './bench-floor/build.mjs'
import { median, printTable } from './lib/bench-stats.mjs'
import { NODE24, ROOT } from './lib/local-runner.mjs'
import { loadOfficialAction } from './lib/official-action.mjs'

const CORE = `import * as core from '@actions/core'\n`
const SEND = `const url = process.env.PROBE_URL\n`
/** [label, source, the rung its Δ is taken against, options]. */
const LADDER = [
  ['empty bundle', 'export {}\n'],
  ['+ undici', `import 'undici'\n`, 'empty bundle'],
  ['+ @actions/core', `import 'undici'\n${CORE}core.info('')\n`, '+ undici'],
  [
    '+ @actions/github (context)',
    `${CORE}import { context } from '@actions/github'\ncore.info(context.eventName)\n`,
    '+ @actions/core'
  ],
  [
    "+ Octokit (@actions/github's GitHub)",
    `${CORE}import { context } from '@actions/github'\nimport { GitHub } from '@actions/github/lib/utils'\ncore.info(context.eventName + typeof GitHub)\n`,
    '+ @actions/github (context)'
  ],
  [
    '+ @octokit/auth-app',
    `${CORE}import { context } from '@actions/github'\nimport { GitHub } from '@actions/github/lib/utils'\nimport { createAppAuth } from '@octokit/auth-app'\ncore.info(context.eventName + typeof GitHub + typeof createAppAuth)\n`,
    "+ Octokit (@actions/github's GitHub)"
  ],
  [
    '@actions/core + a DELETE: undici fetch',
    `${CORE}import { fetch } from 'undici'\n${SEND}void fetch(url, { method: 'DELETE' }).then((r) => core.info(String(r.status)))\n`,
    '+ @actions/core'
  ],
  [
    '@actions/core + a DELETE: Node fetch',
    `${CORE}${SEND}void fetch(url, { method: 'DELETE' }).then((r) => core.info(String(r.status)))\n`,
    '+ @actions/core'
  ],
  [
    '@actions/core + a DELETE: @actions/http-client',
    `${CORE}import { HttpClient } from '@actions/http-client'\n${SEND}void new HttpClient('probe').del(url).then(async (r) => core.info(String((await r.readBody(), r.message.statusCode))))\n`,
    '+ @actions/core'
  ],
  [
    '@actions/core, undici not evaluated',
    `${CORE}core.info('')\n`,
    '+ @actions/core',
    { lazyUndici: true }
  ],
  [
    '@actions/core + a DELETE: @actions/http-client, undici not evaluated',
    `${CORE}import { HttpClient } from '@actions/http-client'\n${SEND}void new HttpClient('probe').del(url).then(async (r) => core.info(String((await r.readBody(), r.message.statusCode))))\n`,
    '@actions/core + a DELETE: @actions/http-client',
    { lazyUndici: true }
  ],
  [
    '@actions/core + a DELETE: Octokit',
    `${CORE}import { getOctokit } from '@actions/github'\n${SEND}void getOctokit('t', { baseUrl: url }).request('DELETE /').then((r) => core.info(String(r.status)))\n`,
    '+ @actions/core'
  ]
]

/** → exit code: 0 (a report), 1 when a probe fails. */
export async function benchPackages({ runs, warmup }) {
  const dir = mkdtempSync(join(tmpdir(), 'mint-token-bench-packages-'))
  const server = createServer((_, res) => res.writeHead(204).end())
  await new Promise((listening) => server.listen(0, '127.0.0.1', listening))
  try {
    const url = `http://127.0.0.1:${server.address().port}/`
    return await measure(await probes(dir), runs, warmup, url)
  } finally {
    server.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function probes(dir) {
  // The probes resolve packages from this repository's node_modules, as src/ does.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')
  process.stdout.write('Bundling the probes with ncc ')
  // The stand-in: undici itself, loaded at the first use of any of its exports.
  const lazyUndici = join(dir, 'lazy-undici.cjs')
  writeFileSync(
    lazyUndici,
    `const load = () => require(${JSON.stringify(join(ROOT, 'node_modules/undici'))})\nmodule.exports = new Proxy({}, { get: (_, name) => load()[name] })\n`
  )
  const list = []
  for (const [index, [label, source, against, options = {}]] of LADDER.entries()) {
    const entry = join(dir, `probe-${index}.mjs`)
    writeFileSync(entry, source)
    const out = join(dir, `probe-${index}`)
    mkdirSync(out)
    const externals = options.lazyUndici ? { undici: lazyUndici } : {}
    writeFileSync(join(out, 'index.js'), (await ncc(entry, { ...NCC_OPTIONS, externals })).code)
    writeFileSync(join(out, 'package.json'), '{ "type": "commonjs" }\n')
    list.push({ label, file: join(out, 'index.js'), against })
    process.stdout.write('.')
  }
  process.stdout.write('\n')
  for (const step of ['main', 'post', 'revoke', 'prune-runners'])
    list.push({ label: `dist/${step}, sending nothing`, file: join(ROOT, `dist/${step}/index.js`) })
  const official = loadOfficialAction()
  for (const step of ['main', 'post'])
    if (official)
      list.push({
        label: `${official.label} ${step}, sending nothing`,
        file: official.scripts[step]
      })
  return list
}

async function measure(list, runs, warmup, url) {
  const env = { PATH: process.env.PATH ?? '', PROBE_URL: url, GITHUB_REPOSITORY: 'octo-org/app' }
  const all = [{ label: 'bare node -e 0', args: ['-e', '0'] }, ...list]
  for (const probe of all) probe.walls = []
  process.stdout.write(`Running each ${runs} times (+${warmup} warm-up), interleaved `)
  for (let i = 0; i < warmup + runs; i++) {
    for (let k = 0; k < all.length; k++) {
      const probe = all[(i + k) % all.length]
      const { code, wallMs, out } = await run(probe.args ?? [probe.file], env)
      if (code !== 0 && !probe.label.includes('sending nothing')) {
        console.error(`\n${probe.label} failed (exit ${code}): ${out}`)
        return 1
      }
      if (i >= warmup) probe.walls.push(wallMs)
    }
    process.stdout.write('.')
  }
  process.stdout.write('\n\n')
  const at = new Map(all.map((probe) => [probe.label, median(probe.walls)]))
  const bare = at.get('bare node -e 0')
  const rows = [['probe', 'wall ms', 'Δ ms', 'over bare']]
  for (const probe of all) {
    const wall = at.get(probe.label)
    const delta = probe.against
      ? `${(wall - at.get(probe.against)).toFixed(1)} vs ${probe.against}`
      : ''
    rows.push([probe.label, wall.toFixed(1), delta, (wall - bare).toFixed(1)])
  }
  console.log(
    `Medians of ${runs} runs on Node ${process.versions.node}; the DELETEs are answered at once.\n`
  )
  printTable(rows)
  return 0
}

function run(args, env) {
  return new Promise((done, fail) => {
    const start = process.hrtime.bigint()
    let out = ''
    const child = spawn(NODE24, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.on('data', (chunk) => (out += chunk))
    child.stderr.on('data', (chunk) => (out += chunk))
    child.on('error', fail)
    child.on('close', (code) =>
      done({ code, out, wallMs: Number(process.hrtime.bigint() - start) / 1e6 })
    )
  })
}
