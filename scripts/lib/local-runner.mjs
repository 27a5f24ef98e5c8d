// Shared by scripts/bench.mjs and scripts/demo.mjs: runs the bundled dist/ steps the way the Actions
// runner does (a node24 subprocess, INPUT_* env, file commands, STATE_* for the post step), against the
// fake GitHub API of __tests__/fake-github, loaded straight from its TypeScript source.
// Mirrors __tests__/harness/run-action.ts, plus wall time and peak RSS per step.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { registerHooks } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

export const ROOT = resolve(import.meta.dirname, '../..')
/** Node 24, what `runs.using: node24` gives users. */
export const NODE24 = join(ROOT, 'node_modules/.bin/node')
const NODE_FLAGS = ['--experimental-transform-types', '--disable-warning=ExperimentalWarning']
const RSS_PRELOAD = join(import.meta.dirname, 'max-rss-preload.mjs')

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

/** The fake's relative imports say `.js` for `.ts` files (NodeNext style): retry them as `.ts`. */
let hooked = false
export async function loadFake() {
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
  const { startFakeGitHub } = await import(
    pathToFileURL(join(ROOT, '__tests__/fake-github/server.ts')).href
  )
  return startFakeGitHub
}

/** A fresh job: its own workspace and runner temp. Call job.cleanup() when done. */
export function newJob(apiUrl, env = {}) {
  const temp = mkdtempSync(join(tmpdir(), 'mint-token-runner-'))
  const workspace = mkdtempSync(join(tmpdir(), 'mint-token-workspace-'))
  return {
    workspace,
    temp,
    env: {
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'octo-org/app',
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_API_URL: apiUrl,
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: temp,
      ...env
    },
    cleanup() {
      rmSync(temp, { recursive: true, force: true })
      rmSync(workspace, { recursive: true, force: true })
    }
  }
}

/** action.yml's defaults, the way the runner fills in inputs the workflow left out. */
export function defaultInputs(apiUrl) {
  const yml = readFileSync(join(ROOT, 'action.yml'), 'utf8')
  const defaults = {}
  for (const match of yml.matchAll(/^ {2}([a-z-]+):\n(?: {4}.*\n)*? {4}default: (.*)$/gm)) {
    const value = match[2].trim().replace(/^'(.*)'$/, '$1')
    defaults[match[1]] = value.replace('${{ github.api_url }}', apiUrl)
  }
  return defaults
}

let sequence = 0

/**
 * Runs dist/<step>/index.js once. Returns exit code, stdout/stderr, outputs, state, summary,
 * wallMs (spawn → exit, measured here) and maxRssKb (the child's own peak RSS, via a tiny preload).
 */
export async function runStep(job, step, inputs, state = {}) {
  const id = `${step}-${++sequence}`
  const files = {}
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_STEP_SUMMARY']) {
    files[name] = join(job.temp, `${id}-${name.toLowerCase()}`)
    writeFileSync(files[name], '')
  }
  const rssFile = join(job.temp, `${id}-maxrss`)
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: job.temp,
    ...job.env,
    ...files,
    MAX_RSS_FILE: rssFile
  }
  for (const [name, value] of Object.entries({
    ...defaultInputs(job.env.GITHUB_API_URL),
    ...inputs
  })) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  for (const [name, value] of Object.entries(state)) env[`STATE_${name}`] = value
  const run = await spawnTimed([join(ROOT, `dist/${step}/index.js`)], env, job.workspace)
  const read = (file) => readFileSync(file, 'utf8')
  return {
    ...run,
    maxRssKb: existsSync(rssFile) ? Number(read(rssFile)) : NaN,
    outputs: parseFileCommands(read(files.GITHUB_OUTPUT)),
    state: parseFileCommands(read(files.GITHUB_STATE)),
    summary: read(files.GITHUB_STEP_SUMMARY)
  }
}

/** Bare `node -e 0` with the same RSS preload: the start-up floor every step sits on. */
export async function runBare(job) {
  const rssFile = join(job.temp, `bare-${++sequence}-maxrss`)
  const run = await spawnTimed(
    ['-e', '0'],
    { PATH: process.env.PATH ?? '', MAX_RSS_FILE: rssFile },
    job.temp
  )
  return { ...run, maxRssKb: Number(readFileSync(rssFile, 'utf8')) }
}

function spawnTimed(args, env, cwd) {
  return new Promise((done, fail) => {
    const start = process.hrtime.bigint()
    const child = spawn(NODE24, ['--import', pathToFileURL(RSS_PRELOAD).href, ...args], {
      env,
      cwd,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk) => (stderr += chunk.toString()))
    child.on('error', fail)
    child.on('exit', () => (child.wallMs = Number(process.hrtime.bigint() - start) / 1e6))
    child.on('close', (code) =>
      done({ exitCode: code ?? -1, stdout, stderr, wallMs: child.wallMs })
    )
  })
}

/** Parses `name<<delimiter` blocks from a file command file. */
export function parseFileCommands(content) {
  const values = {}
  const lines = content.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (!heredoc) continue
    const end = lines.indexOf(heredoc[2], i + 1)
    values[heredoc[1]] = lines.slice(i + 1, end).join('\n')
    i = end
  }
  return values
}
