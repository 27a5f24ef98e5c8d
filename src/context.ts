import { readFileSync } from 'node:fs'
import { createProxyFetch } from './github/create-proxy-fetch.js'
import { createRunnerCore } from './runner/create-runner-core.js'

/** What the action does to the runner (inputs, masking, outputs, state, log, summary): nothing else touches it. */
export interface Core {
  getInput(name: string): string
  getBooleanInput(name: string): boolean
  setSecret(value: string): void
  setOutput(name: string, value: string): void
  saveState(name: string, value: string): void
  getState(name: string): string
  info(message: string): void
  warning(message: string): void
  setFailed(message: string): void
  appendSummary(markdown: string): Promise<void>
}

/** How every request to GitHub behaves; one place, so tests can shrink the waits. */
export interface HttpSettings {
  fetch: (url: string, init?: RequestInit) => Promise<Response>
  /** No single attempt may take longer than this: a hung connection must not hang the job. */
  timeoutMs: number
  /** Retries after the first attempt, for 5xx and network errors. */
  retries: number
  /** Back-off unit: waits are base × 1, base × 4, … */
  retryBaseMs: number
  /** Nothing is attempted after this long from the first request, so retries stay bounded. */
  budgetMs: number
  /** Rate-limit waits longer than this are not waited out. */
  maxRetryAfterSeconds: number
}

export interface Context {
  core: Core
  env: Readonly<Record<string, string | undefined>>
  now: () => number
  http: HttpSettings
  readFile: (path: string) => string
}

/** The production context: the real runner, the real clock, proxy-aware HTTP. */
export function createContext(): Context {
  return {
    core: createRunnerCore(),
    env: process.env,
    now: () => Date.now(),
    http: {
      fetch: createProxyFetch(),
      timeoutMs: 10_000,
      retries: 2,
      retryBaseMs: 1_000,
      budgetMs: 25_000,
      maxRetryAfterSeconds: 10
    },
    readFile: (path) => readFileSync(path, 'utf8')
  }
}
