import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { localAction } from '../harness/local-action.js'
import { until } from '../harness/wait.js'

/**
 * `npm run fake` (scripts/fake.mjs) as README's "Debug locally" uses it: started, its printed .env
 * handed to @github/local-action, which mints and revokes against it and writes the summary;
 * then Ctrl-C (SIGINT to its process group, as a terminal sends it) stops it and deletes its files.
 */
const ROOT = resolve(import.meta.dirname, '../..')
const NODE = join(ROOT, 'node_modules/.bin/node')
const WAIT = { timeoutMs: 45_000 }

let child: ChildProcess | undefined
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null)
    process.kill(-child.pid!, 'SIGKILL')
})

const printed = (output: string, label: string) =>
  new RegExp(`^${label}: (\\S+)$`, 'm').exec(output)?.[1]

test('npm run fake: URL, key file and .env printed; local-action mints with that .env; Ctrl-C cleans up', async () => {
  child = spawn(NODE, ['scripts/fake.mjs'], { cwd: ROOT, detached: true })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  await until('the fake to be ready', () => output.includes('Serving until Ctrl-C'), WAIT)

  const url = printed(output, 'Fake GitHub API')!
  const keyFile = printed(output, 'Throwaway App key')!
  const summaryFile = printed(output, 'Job summary file')!
  const envFile = printed(output, '.env for @github/local-action')!
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  expect(readFileSync(keyFile, 'utf8')).toMatch(/^-----BEGIN (RSA )?PRIVATE KEY-----\n/)
  expect(statSync(keyFile).mode & 0o077).toBe(0)
  const env = readFileSync(envFile, 'utf8')
  // The .env is printed as written, and points every URL at the fake.
  expect(output).toContain(env.trim())
  expect(env).toContain(`INPUT_GITHUB-API-URL=${url}\n`)
  expect(env).toContain(`INPUT_PRIVATE-KEY-FILE=${keyFile}\n`)
  expect(env).toContain(`GITHUB_STEP_SUMMARY=${summaryFile}\n`)

  const run = await localAction(envFile, mkdtempSync(join(tmpdir(), 'mint-token-fake-home-')))
  expect(run.output).toContain('Minted an installation token for octo-org/app')
  expect(run.output).toContain('Revoked the installation token.')
  expect(run.code).toBe(0)
  expect(readFileSync(summaryFile, 'utf8')).toContain('<th>Scope</th><td>octo-org/app</td>')

  process.kill(-child.pid!, 'SIGINT')
  // `npm run` starts it on the PATH's node, which re-runs it on Node 24: the inner process closes
  // the fake and then deletes its files; the outer one ends with the signal, as Ctrl-C ends it.
  await until('the files to be deleted', () => !existsSync(envFile), WAIT)
  await until(
    'the outer process to end',
    () => child!.exitCode ?? child!.signalCode ?? undefined,
    WAIT
  )
  expect(existsSync(keyFile)).toBe(false)
  await expect(fetch(url)).rejects.toThrow()
})
