import type { Context, Core, HttpSettings } from '../../src/context.js'

export interface Recorded {
  ctx: Context
  /** Everything the action did to the runner, in order: 'mask', 'output', 'state', 'info', … */
  events: { kind: string; name?: string; value: string }[]
  outputs: Record<string, string>
  state: Record<string, string>
}

/** A context around a plain recording core: what tests use instead of module mocks. */
export function testContext(options: {
  inputs?: Record<string, string>
  state?: Record<string, string>
  env?: Record<string, string>
  http?: Partial<HttpSettings>
  files?: Record<string, string>
}): Recorded {
  const inputs: Record<string, string> = { revoke: 'true', summary: 'true', ...options.inputs }
  const events: Recorded['events'] = []
  const outputs: Record<string, string> = {}
  const state: Record<string, string> = { ...options.state }
  const core: Core = {
    getInput: (name) => inputs[name] ?? '',
    getBooleanInput: (name) => inputs[name] === 'true',
    setSecret: (value) => events.push({ kind: 'mask', value }),
    setOutput: (name, value) => (
      events.push({ kind: 'output', name, value }),
      (outputs[name] = value)
    ),
    saveState: (name, value) => (
      events.push({ kind: 'state', name, value }),
      (state[name] = value)
    ),
    getState: (name) => state[name] ?? '',
    info: (value) => events.push({ kind: 'info', value }),
    warning: (value) => events.push({ kind: 'warning', value }),
    setFailed: (value) => events.push({ kind: 'failed', value }),
    appendSummary: (value) => {
      events.push({ kind: 'summary', value })
      return Promise.resolve()
    }
  }
  const http: HttpSettings = {
    fetch: (url, init) => fetch(url, init),
    timeoutMs: 2_000,
    retries: 2,
    retryBaseMs: 10,
    budgetMs: 10_000,
    maxRetryAfterSeconds: 10,
    ...options.http
  }
  const readFile = (path: string) => {
    const content = options.files?.[path]
    if (content === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' })
    return content
  }
  const ctx: Context = {
    core,
    env: { GITHUB_REPOSITORY: 'octo-org/app', ...options.env },
    now: Date.now,
    http,
    readFile
  }
  return { ctx, events, outputs, state }
}
