import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join, resolve } from 'node:path'
import { assertNoLeaks, runnerView, secretsOf } from './assert-no-leaks.js'

/** Runs the bundled dist/ the way the Actions runner does: a node24 subprocess, INPUT_* and file commands. */

const ROOT = resolve(import.meta.dirname, '../..')
const NODE = join(ROOT, 'node_modules/.bin/node')

export interface StepResult {
  exitCode: number
  /** What the step exported to later steps through GITHUB_ENV. */
  exported: Record<string, string>
  /** Directories the step added to later steps' PATH through GITHUB_PATH, in order. */
  addedPath: string[]
  stdout: string
  stderr: string
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  /** The ::error:: lines, as the runner would show them. */
  errors: string[]
  warnings: string[]
  /** Spawn to exit, for the benchmark. */
  wallMs: number
  /** The process started: the step's node, or the wrapper around it. */
  pid: number
}

export interface Job {
  workspace: string
  temp: string
  env: Record<string, string>
  /** GITHUB_PATH entries of the steps so far, latest first: they come before the PATH. */
  path: string[]
  /** What the runner masks in every later line of the job (see runnerView). */
  masks: Set<string>
}

/** A fresh job: its own workspace and runner temp, like one job of a workflow run. */
export function newJob(apiUrl: string, env: Record<string, string> = {}): Job {
  const temp = mkdtempSync(join(tmpdir(), 'mint-token-runner-'))
  const workspace = mkdtempSync(join(tmpdir(), 'mint-token-workspace-'))
  return {
    workspace,
    temp,
    path: [],
    masks: new Set(),
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
    }
  }
}

/** Which action.yml declares a dist/ entry's inputs: the action's, or a sub-action's. */
const ACTION_FILES: Record<string, string> = {
  revoke: 'revoke/action.yml',
  'prune-runners': 'prune-runners/action.yml'
}

/** action.yml's defaults, the way the runner fills in inputs the workflow left out. */
function defaultInputs(apiUrl: string, step: string): Record<string, string> {
  const yml = readFileSync(join(ROOT, ACTION_FILES[step] ?? 'action.yml'), 'utf8')
  const defaults: Record<string, string> = {}
  for (const match of yml.matchAll(/^ {2}([a-z-]+):\n(?: {4}.*\n)*? {4}default: (.*)$/gm)) {
    const value = match[2]!.trim().replace(/^'(.*)'$/, '$1')
    defaults[match[1]!] = value.replace('${{ github.api_url }}', apiUrl)
  }
  return defaults
}

export async function runStep(
  job: Job,
  step: 'main' | 'post' | 'revoke' | 'prune-runners',
  inputs: Record<string, string>,
  state: Record<string, string> = {},
  extra: {
    nodeArgs?: string[]
    env?: Record<string, string>
    wrapper?: string[]
    /** Gets the step's process as soon as it runs, e.g. to signal it as the runner's cancel does. */
    onSpawn?: (child: ChildProcess) => void
  } = {}
): Promise<StepResult> {
  const files = {
    GITHUB_OUTPUT: '',
    GITHUB_STATE: '',
    GITHUB_ENV: '',
    GITHUB_PATH: '',
    GITHUB_STEP_SUMMARY: ''
  }
  for (const name of Object.keys(files) as (keyof typeof files)[]) {
    files[name] = join(
      job.temp,
      `${step}-${name.toLowerCase()}-${Math.random().toString(36).slice(2)}`
    )
    writeFileSync(files[name], '')
  }
  const env: Record<string, string> = { ...stepEnv(job), ...files, ...extra.env }
  for (const [name, value] of Object.entries({
    ...defaultInputs(job.env.GITHUB_API_URL!, step),
    ...inputs
  })) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  for (const [name, value] of Object.entries(state)) env[`STATE_${name}`] = value
  const script = join(ROOT, `dist/${step}/index.js`)
  // A wrapper (sh, nsenter, …) runs the step's node as a runner's wrapper or `docker exec` would.
  const argv = [...(extra.wrapper ?? []), NODE, ...(extra.nodeArgs ?? []), script]
  const run = await spawnStep(argv, env, job.workspace, extra.onSpawn)
  const { stdout } = run
  const result: StepResult = {
    ...run,
    exported: parseFileCommands(readFileSync(files.GITHUB_ENV, 'utf8')),
    addedPath: readFileSync(files.GITHUB_PATH, 'utf8').split('\n').filter(Boolean),
    outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    state: parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    errors: commandLines(stdout, 'error'),
    warnings: commandLines(stdout, 'warning')
  }
  // Every step of every end-to-end test is checked for leaks, whatever else the test asserts.
  const secrets = secretsOf(result, inputs, state)
  assertNoLeaks(job, [result], secrets)
  // A credential reaches later steps' environment only when the workflow asked for it.
  const exported = Object.values(result.exported).join('\n')
  if (!inputs['export-env'] && secrets.maskable.some((secret) => exported.includes(secret)))
    throw new Error('Secret leak: a credential was exported to GITHUB_ENV without export-env')
  return result
}

/**
 * main, then post with the state main saved: what a job does with one `uses:` step. What main
 * exports through GITHUB_ENV reaches the post step's environment, as the runner does.
 */
export async function runAction(job: Job, inputs: Record<string, string>) {
  const main = await runStep(job, 'main', inputs)
  exportToJob(job, main)
  const post = await runStep(job, 'post', inputs, main.state)
  exportToJob(job, post)
  return { main, post }
}

/** The harness's own file-command files (see runStep: `<step>-github_<name>-<random>`). */
export const HARNESS_FILE = /^(main|post)-github_(output|state|env|path|step_summary)-[a-z0-9]+$/

/** What the action left in a job's RUNNER_TEMP, besides the harness's own files. */
export function leftInTemp(job: Job): string[] {
  return readdirSync(job.temp).filter((name) => !HARNESS_FILE.test(name))
}

/**
 * A step that failed after minting and undid it itself: exit code 1, one error line, nothing
 * for the later steps, and for post only what it would revoke, marked as undone by main.
 */
export function expectUndoneAfterMint(step: StepResult, message: string): void {
  expect(step.exitCode).toBe(1)
  expect(step.errors).toEqual([message])
  expect(step.outputs).toEqual({})
  expect(step.exported).toEqual({})
  expect(Object.keys(step.state).sort()).toEqual(['revocation', 'token', 'undone'])
  expect(step.state.undone).toBe('failure')
}

/** A refused or failed step: exit code 1, one error line, nothing for post or the later steps. */
export function expectRefused(step: StepResult, message: string): void {
  expect(step.exitCode).toBe(1)
  expect(step.errors).toEqual([message])
  expect(step.outputs).toEqual({})
  expect(step.state).toEqual({})
  expect(step.exported).toEqual({})
}

/**
 * What the runner carries from a step to the later ones: its GITHUB_ENV exports, its GITHUB_PATH
 * entries (each put first) and the secrets it registered with ::add-mask:: (on stdout or stderr).
 */
export function exportToJob(
  job: Job,
  step: Pick<StepResult, 'exported' | 'addedPath' | 'stdout' | 'stderr'>
): void {
  Object.assign(job.env, step.exported)
  for (const dir of step.addedPath) job.path.unshift(dir)
  runnerView([...step.stdout.split('\n'), ...step.stderr.split('\n')], job.masks)
}

/** The environment the runner gives a step of the job: its variables, PATH with GITHUB_PATH first. */
export function stepEnv(job: Job): Record<string, string> {
  const path = [...job.path, process.env.PATH ?? ''].join(delimiter)
  return { HOME: job.temp, ...job.env, PATH: path }
}

function spawnStep(
  [command, ...args]: string[],
  env: Record<string, string>,
  cwd: string,
  onSpawn?: (child: ChildProcess) => void
) {
  return new Promise<{
    exitCode: number
    stdout: string
    stderr: string
    wallMs: number
    pid: number
  }>((done, fail) => {
    const started = performance.now()
    let wallMs = 0
    const child = spawn(command!, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', fail)
    onSpawn?.(child)
    child.on('exit', () => (wallMs = performance.now() - started))
    child.on('close', (code) =>
      done({ exitCode: code ?? -1, stdout, stderr, wallMs, pid: child.pid! })
    )
  })
}

/** Parses `name<<delimiter` blocks (and plain `name=value` lines) from a file command file. */
export function parseFileCommands(content: string): Record<string, string> {
  const values: Record<string, string> = {}
  const lines = content.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]!)
    if (!heredoc) continue
    const end = lines.indexOf(heredoc[2]!, i + 1)
    values[heredoc[1]!] = lines.slice(i + 1, end).join('\n')
    i = end
  }
  return values
}

function commandLines(stdout: string, command: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith(`::${command}`))
    .map((line) => line.replace(/^::[a-z]+(?: [^:]*)?::/, ''))
}

/** Every file below a folder, with its content, for the leak check. */
export function filesBelow(dir: string): { path: string; content: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory()
      ? filesBelow(path)
      : [{ path, content: readFileSync(path, 'utf8') }]
  })
}
