import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { EOL } from 'node:os'
import type { Core } from '../context.js'

/**
 * The Actions runner protocol, as @actions/core speaks it: inputs from INPUT_* variables,
 * workflow commands on stdout, outputs and state as file commands.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
 * (@actions/core itself statically loads @actions/http-client and undici for OIDC, which we never
 * use; that alone costs about 100 ms of every step's start-up.)
 */
export function createRunnerCore(env: NodeJS.ProcessEnv = process.env): Core {
  const write = (line: string) => process.stdout.write(`${line}${EOL}`)
  const command = (name: string, message: string) => write(`::${name}::${escapeData(message)}`)
  return {
    getInput: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
    getBooleanInput(name) {
      const value = this.getInput(name)
      if (['true', 'True', 'TRUE'].includes(value)) return true
      if (['false', 'False', 'FALSE'].includes(value)) return false
      throw new TypeError(`Input '${name}' is '${value}'; expected true or false.`)
    },
    setSecret: (value) => command('add-mask', value),
    setOutput: (name, value) => fileCommand(env.GITHUB_OUTPUT, name, value),
    saveState: (name, value) => fileCommand(env.GITHUB_STATE, name, value),
    getState: (name) => env[`STATE_${name}`] ?? '',
    info: write,
    warning: (message) => command('warning', message),
    setFailed(message) {
      process.exitCode = 1
      command('error', message)
    },
    appendSummary: (markdown) => {
      if (env.GITHUB_STEP_SUMMARY)
        appendFileSync(env.GITHUB_STEP_SUMMARY, `${markdown}${EOL}`, 'utf8')
      return Promise.resolve()
    }
  }
}

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** `name<<delimiter` blocks with a random delimiter, so no value can end its block early. */
function fileCommand(path: string | undefined, name: string, value: string): void {
  if (!path)
    throw new Error(`The runner gave no file for '${name}' (GITHUB_OUTPUT / GITHUB_STATE unset).`)
  const delimiter = `ghadelimiter_${randomUUID()}`
  appendFileSync(path, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8')
}
