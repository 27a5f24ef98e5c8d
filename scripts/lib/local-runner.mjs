// Shared by scripts/bench.mjs and scripts/demo.mjs: runs the bundled dist/ steps the way the Actions
// runner does (a node24 subprocess, INPUT_* env, file commands, STATE_* for the post step), against the
// fake GitHub API of __tests__/fake-github, loaded straight from its TypeScript source.
// Steps run through __tests__/harness/run-action.ts (the tests' own runner), plus peak RSS per step.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { registerHooks } from 'node:module'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

export const ROOT = resolve(import.meta.dirname, '../..')
/** Node 24, what `runs.using: node24` gives users. */
export const NODE24 = join(ROOT, 'node_modules/.bin/node')
const NODE_FLAGS = [
  '--experimental-transform-types',
  '--disable-warning=ExperimentalWarning',
  '--expose-gc'
]
const RSS_PRELOAD = join(import.meta.dirname, 'max-rss-preload.cjs')

/**
 * The scripts need Node 24 running TypeScript (the fake is .ts, with a parameter property, so type
 * stripping alone is not enough): re-exec under node_modules/.bin/node when started otherwise
 * (`npm run` uses the PATH node, Node 20 here). Never returns in the re-exec case.
 */
export function ensureNode24(script) {
  if (
    process.features.typescript === 'transform' &&
    Number(process.versions.node.split('.')[0]) >= 24
  )
    return
  if (!existsSync(NODE24)) {
    console.error(`Node 24 not found at ${NODE24}: run npm ci first.`)
    process.exit(1)
  }
  const child = spawnSync(NODE24, [...NODE_FLAGS, script, ...process.argv.slice(2)], {
    stdio: 'inherit'
  })
  process.exit(child.status ?? 1)
}

/** The fake's and the harness's relative imports say `.js` for `.ts` files (NodeNext style). */
let hooked = false
async function importTs(path) {
  if (!hooked) {
    registerHooks({
      resolve(specifier, context, nextResolve) {
        try {
          return nextResolve(specifier, context)
        } catch (error) {
          if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !/^\.{1,2}\/.*\.js$/.test(specifier))
            throw error
          return nextResolve(specifier.replace(/\.js$/, '.ts'), context)
        }
      }
    })
    hooked = true
  }
  return import(pathToFileURL(join(ROOT, path)).href)
}

export async function loadFake() {
  return (await importTs('__tests__/fake-github/server.ts')).startFakeGitHub
}

/** The fake with the installation bench and demo use: octo-org (app, docs), runners included. */
export async function startSeededFake() {
  const fake = await (await loadFake())()
  const installation = fake.addInstallation({
    account: 'octo-org',
    repositorySelection: 'all',
    repositories: ['app', 'docs'],
    permissions: {
      contents: 'write',
      issues: 'write',
      metadata: 'read',
      organization_self_hosted_runners: 'write'
    }
  })
  return { fake, installation }
}

/** The tests' OIDC issuer and broker harness (for `npm run bench -- --broker`). */
export async function loadBrokerHarness() {
  const issuer = await importTs('__tests__/harness/oidc-issuer.ts')
  const broker = await importTs('__tests__/harness/run-broker.ts')
  return { ...issuer, ...broker }
}

/** The test harness runs steps exactly as the runner does; the scripts reuse it. */
let harness
/** A fresh job (the harness's), with cleanup() for long-running scripts. */
export async function newJob(apiUrl, env = {}) {
  harness ??= await importTs('__tests__/harness/run-action.ts')
  const job = harness.newJob(apiUrl, env)
  job.cleanup = () => {
    rmSync(job.temp, { recursive: true, force: true })
    rmSync(job.workspace, { recursive: true, force: true })
  }
  return job
}

let sequence = 0
const rssPreload = () => ['--require', RSS_PRELOAD]

/**
 * Runs dist/<step>/index.js once through the harness (which also checks it leaks nothing), adding
 * maxRssKb and cpuMs: the child's own peak RSS and CPU time, via a tiny preload. wallMs is spawn → exit.
 * With options.script (the bench's toolkit floor), runs that bundle instead, through the same
 * harness: same env, inputs, state, file commands and leak check. The harness always appends
 * dist/<step>/index.js, so the script goes last in the node options, making that path a mere
 * argument (process.argv[2]) of the script, which ignores it. options.nodeArgs: node flags before
 * it (e.g. --cpu-prof for the bench's profile).
 */
export async function runStep(job, step, inputs, state = {}, options = {}) {
  const rssFile = join(job.temp, `${step}-${++sequence}-maxrss`)
  // This process also serves the fake API: collect its garbage now, not during the step's requests.
  globalThis.gc?.()
  const nodeArgs = [
    ...rssPreload(),
    ...(options.nodeArgs ?? []),
    ...(options.script ? [options.script] : [])
  ]
  const extra = { nodeArgs, env: { MAX_RSS_FILE: rssFile, ...options.env } }
  const result = await harness.runStep(job, step, inputs, state, extra)
  return { ...result, ...usage(rssFile) }
}

/** Bare `node -e 0` with the same RSS preload: the start-up floor every step sits on. */
export async function runBare(job) {
  const rssFile = join(job.temp, `bare-${++sequence}-maxrss`)
  globalThis.gc?.()
  const run = await spawnTimed(
    [...rssPreload(), '-e', '0'],
    { PATH: process.env.PATH ?? '', MAX_RSS_FILE: rssFile },
    job.temp
  )
  return { ...run, ...usage(rssFile) }
}

/** What the preload recorded; NaN when the child wrote nothing (it died before its exit handler). */
function usage(file) {
  const [maxRssKb, cpuMs] = existsSync(file)
    ? readFileSync(file, 'utf8').split(' ').map(Number)
    : []
  return { maxRssKb: maxRssKb ?? NaN, cpuMs: cpuMs ?? NaN }
}

/**
 * The command line (dist/cli/index.js) once, with the same RSS preload, outside Actions: no
 * GITHUB_*, RUNNER_* or INPUT_* variable. Its stdout is kept (the result, one JSON object).
 */
export async function runCli(job, args) {
  const rssFile = join(job.temp, `cli-${++sequence}-maxrss`)
  globalThis.gc?.()
  const run = await spawnTimed(
    [...rssPreload(), join(ROOT, 'dist/cli/index.js'), ...args],
    { PATH: process.env.PATH ?? '', HOME: job.temp, MAX_RSS_FILE: rssFile },
    job.temp
  )
  return { ...run, ...usage(rssFile) }
}

function spawnTimed(args, env, cwd) {
  return new Promise((done, fail) => {
    const start = process.hrtime.bigint()
    let wallMs = 0
    const child = spawn(NODE24, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', fail)
    child.on('exit', () => (wallMs = Number(process.hrtime.bigint() - start) / 1e6))
    child.on('close', (code) => done({ exitCode: code ?? -1, wallMs, stdout, stderr }))
  })
}
