import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface GitResult {
  code: number
  stdout: string
  stderr: string
}

/**
 * The environment of a later step's git command, clean: PATH, an empty HOME of its own (so no
 * user config of this machine takes part), no terminal prompt (git fails instead of waiting for
 * a user name), plus what the step's environment adds, e.g. the exported variables.
 */
export function gitStepEnv(
  home: string,
  extra: Record<string, string> = {}
): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: home, GIT_TERMINAL_PROMPT: '0', ...extra }
}

export function emptyHome(): string {
  return mkdtempSync(join(tmpdir(), 'mint-token-git-home-'))
}

/**
 * Runs the real git binary without blocking: the git server of the test runs in this process, so
 * a synchronous call would never be answered.
 */
export function runGit(
  args: string[],
  options: { env: Record<string, string>; cwd?: string; input?: string }
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      env: options.env,
      cwd: options.cwd,
      timeout: 30_000,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    // A git that exits without reading its input must not fail the test with EPIPE.
    child.stdin?.on('error', () => undefined)
    child.stdin?.end(options.input)
  })
}
