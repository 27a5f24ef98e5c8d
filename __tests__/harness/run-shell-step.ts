import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runnerView } from './assert-no-leaks.js'
import { stepEnv, type Job } from './run-action.js'

export interface ShellStepResult {
  exitCode: number
  /** stdout and stderr together, in the order the step wrote them. */
  output: string
  /** What the runner shows of the step: its lines, masked (see runnerView). */
  log: string[]
}

let sequence = 0

/**
 * A `run:` step of the job, as the runner runs one with `shell: sh` (`sh -e`): a real sh process
 * in the workspace, with the job's variables and PATH (GITHUB_PATH entries first). The runner
 * reads workflow commands on stdout and stderr alike; both go to one file here, so the lines
 * keep the order the step wrote them in (two pipes could be read in either order). The log is
 * what the runner would show, with the masks of the job so far and those the step registers.
 */
export function runShellStep(job: Job, script: string): Promise<ShellStepResult> {
  const file = join(job.temp, `shell-step-${++sequence}-output`)
  const fd = openSync(file, 'a', 0o600)
  return new Promise<number>((done, fail) => {
    const child = spawn('sh', ['-e', '-c', script], {
      env: stepEnv(job),
      cwd: job.workspace,
      stdio: ['ignore', fd, fd]
    })
    child.on('error', fail)
    child.on('close', (code) => done(code ?? -1))
  }).then((exitCode) => {
    closeSync(fd)
    const output = readFileSync(file, 'utf8')
    const lines = output.split('\n')
    if (lines.at(-1) === '') lines.pop()
    return { exitCode, output, log: runnerView(lines, job.masks) }
  })
}
