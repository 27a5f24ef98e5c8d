import {
  createActionContext,
  type ActionContext as Context,
  type Core,
  type Summary,
  type SummaryRow
} from '../../src/action/action-context.js'
import type { RunInfo } from '../../src/lib/seam/deps.js'
import type { HttpSettings } from '../../src/lib/transport/http-settings.js'
import { readKeyFile as realReadKeyFile } from '../../src/lib/key/read-key-file.js'

export interface Recorded {
  ctx: Context
  /** Everything the action did to the runner, in order: 'mask', 'output', 'state', 'info', … */
  events: { kind: string; name?: string; value: string }[]
  outputs: Record<string, string>
  state: Record<string, string>
}

/** A recording stand-in for core.summary: each write() records the heading and rows as text. */
function recordingSummary(events: Recorded['events']): Summary {
  let buffer: string[] = []
  const cell = (c: SummaryRow[number]) => (typeof c === 'string' ? c : c.data)
  const summary: Summary = {
    addHeading: (text) => (buffer.push(`### ${text}`), summary),
    addRaw: (text) => (buffer.push(text), summary),
    addTable: (rows) => (
      buffer.push(...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)),
      summary
    ),
    write: () => {
      events.push({ kind: 'summary', value: buffer.join('\n') })
      buffer = []
      return Promise.resolve()
    }
  }
  return summary
}

/** A plain recording core, shaped like @actions/core: what tests use instead of module mocks. */
function recordingCore(inputs: Record<string, string>, recorded: Omit<Recorded, 'ctx'>): Core {
  const { events, outputs, state } = recorded
  const log = (kind: string) => (value: string | Error) =>
    void events.push({ kind, value: String(value) })
  return {
    getInput: (name) => (inputs[name] ?? '').trim(),
    getBooleanInput: (name) => {
      const value = (inputs[name] ?? '').trim()
      if (['true', 'True', 'TRUE'].includes(value)) return true
      if (['false', 'False', 'FALSE'].includes(value)) return false
      throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}`)
    },
    setSecret: (value) => void events.push({ kind: 'mask', value }),
    setOutput: (name, value: string) => {
      events.push({ kind: 'output', name, value })
      outputs[name] = value
    },
    saveState: (name, value: string) => {
      events.push({ kind: 'state', name, value })
      state[name] = value
    },
    exportVariable: (name, value: string) => void events.push({ kind: 'export', name, value }),
    addPath: (value) => void events.push({ kind: 'path', value }),
    getState: (name) => state[name] ?? '',
    info: log('info'),
    debug: log('debug'),
    warning: log('warning'),
    setFailed: log('failed'),
    summary: recordingSummary(events)
  }
}

/** action.yml's boolean defaults, as the runner fills them in (@actions/core refuses ''). */
const BOOLEAN_DEFAULTS: Record<string, string> = {
  revoke: 'true',
  summary: 'true',
  'token-refresh': 'false',
  'git-credentials': 'false',
  'bot-identity': 'false',
  'rate-limit': 'false'
}

/** A context around a recording core and the real GitHub clients, with short waits. */
export function testContext(options: {
  inputs?: Record<string, string>
  state?: Record<string, string>
  run?: Partial<RunInfo>
  http?: Partial<HttpSettings>
  files?: Record<string, string>
  /** The runner's clock (budgets and deadlines read it); by default the real one. */
  now?: () => number
}): Recorded {
  const inputs: Record<string, string> = { ...BOOLEAN_DEFAULTS, ...options.inputs }
  const recorded = { events: [], outputs: {}, state: { ...options.state } }
  const http: HttpSettings = {
    fetchFor: () => (url, init) => fetch(url, init),
    timeoutMs: 2_000,
    retries: 2,
    retryBaseMs: 10,
    budgetMs: 10_000,
    maxRetryAfterSeconds: 10,
    cleanupBudgetMs: 1_000,
    cleanupTimeoutMs: 300,
    ...options.http
  }
  // A path listed in `files` reads as given; any other goes to the real, bounded reader, so
  // tests can name a directory, a FIFO or /dev/zero.
  const readKeyFile = (path: string) => options.files?.[path] ?? realReadKeyFile(path)
  const run: RunInfo = {
    repository: 'octo-org/app',
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    runId: 'local',
    runAttempt: '1',
    environment: {},
    ...options.run
  }
  const core = recordingCore(inputs, recorded)
  const ctx = createActionContext({ core, run, http, readKeyFile, now: options.now })
  return { ctx, ...recorded }
}
