import type { JitSettings } from '../../lib/requests.js'
import type { ActionContext } from '../action-context.js'
import { parseApiUrl } from '../inputs/parse-api-url.js'

/** An installation token to revoke, as the main step saved it. */
export interface TokenState {
  kind: 'installation-token'
  token: string
  apiUrl: string
  expiresAt: string
  revoke: boolean
  summary: boolean
}

export interface RegistrationTokenState {
  kind: 'runner-registration'
  expiresAt: string
  summary: boolean
}

export interface JitRunnerState {
  kind: 'runner-jit'
  cleanup: JitSettings['cleanup']
  runnerId: number
  runnerName: string
  summary: boolean
}

export type PostState =
  | { kind: 'nothing' }
  | { kind: 'unusable'; reason: string }
  | TokenState
  | RegistrationTokenState
  | JitRunnerState

class Unusable extends Error {}

type Json = Record<string, unknown>

/**
 * The main step's saved state, checked before anything is sent. State is written by main, but
 * a post step must not trust it: another action or step in the job can write `STATE_*` too, and
 * whatever is in it would otherwise pick the host a token is sent to or the runner deleted. Any
 * value that main could not have written makes the whole state unusable; its reason never
 * quotes the value. The token is masked first, whatever else the state holds.
 */
export function parsePostState(ctx: Pick<ActionContext, 'core' | 'run'>): PostState {
  const { core } = ctx
  const token = core.getState('token')
  if (token) core.setSecret(token)
  const runner = core.getState('runner')
  const revocation = core.getState('revocation')
  try {
    if (runner && (token || revocation))
      throw new Unusable("it holds both 'runner' and 'token' state")
    if (runner) return runnerState(parseObject('runner', runner))
    if (!token && !revocation) return { kind: 'nothing' }
    if (!token || !revocation) throw new Unusable(`'${token ? 'revocation' : 'token'}' is missing`)
    return tokenState(ctx, token, parseObject('revocation', revocation))
  } catch (error) {
    if (error instanceof Unusable) return { kind: 'unusable', reason: error.message }
    throw error
  }
}

function tokenState(
  ctx: Pick<ActionContext, 'core' | 'run'>,
  token: string,
  state: Json
): TokenState {
  // It goes into an Authorization header: anything else cannot be a token main saved.
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(token))
    throw new Unusable("'token' holds whitespace or control characters")
  const apiUrl = read(state, 'revocation', 'apiUrl', isString, 'a URL')
  if (apiUrl !== ownApiUrl(ctx))
    throw new Unusable("its API URL is not this step's 'github-api-url'")
  return {
    kind: 'installation-token',
    token,
    apiUrl,
    expiresAt: read(state, 'revocation', 'expiresAt', isIsoTime, 'an ISO 8601 time'),
    revoke: read(state, 'revocation', 'revoke', isBoolean, 'true or false'),
    summary: read(state, 'revocation', 'summary', isBoolean, 'true or false')
  }
}

function runnerState(state: Json): RegistrationTokenState | JitRunnerState {
  const summary = read(state, 'runner', 'summary', isBoolean, 'true or false')
  if (state.kind === 'runner-registration') {
    const expiresAt = read(state, 'runner', 'expiresAt', isIsoTime, 'an ISO 8601 time')
    return { kind: state.kind, expiresAt, summary }
  }
  if (state.kind !== 'runner-jit') throw new Unusable("'runner' has an unknown kind")
  return {
    kind: state.kind,
    cleanup: read(state, 'runner', 'cleanup', isCleanup, 'never, if-unused or always'),
    runnerId: read(state, 'runner', 'runnerId', isPositiveId, 'a positive integer'),
    runnerName: read(state, 'runner', 'runnerName', isRunnerName, 'a runner name'),
    summary
  }
}

/** The URL this post step would use itself; main saved it after the same normalisation. */
function ownApiUrl({ core, run }: Pick<ActionContext, 'core' | 'run'>): string | undefined {
  try {
    return parseApiUrl(core.getInput('github-api-url') || run.apiUrl)
  } catch {
    return undefined
  }
}

function parseObject(name: string, raw: string): Json {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    throw new Unusable(`'${name}' is not JSON`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Unusable(`'${name}' is not a JSON object`)
  return value as Json
}

function read<T>(
  state: Json,
  name: string,
  field: string,
  is: (value: unknown) => value is T,
  expected: string
): T {
  const value = Object.hasOwn(state, field) ? state[field] : undefined
  if (!is(value)) throw new Unusable(`'${name}' has no ${field} that is ${expected}`)
  return value
}

/** A positive safe integer, as GitHub's ids are: nothing else may go into a request's path. */
const isPositiveId = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0
const isString = (value: unknown): value is string => typeof value === 'string'
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean'
const isCleanup = (value: unknown): value is JitSettings['cleanup'] =>
  value === 'never' || value === 'if-unused' || value === 'always'
/** GitHub's limit is 64 characters; it is only compared and (neutralized) printed. */
const isRunnerName = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 64
const isIsoTime = (value: unknown): value is string =>
  typeof value === 'string' &&
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)$/.test(value) &&
  !Number.isNaN(Date.parse(value))
