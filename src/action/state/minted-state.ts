import type { JitSettings } from '../../lib/requests.js'
import type { ActionContext } from '../action-context.js'
import { parseApiUrl } from '../inputs/parse-api-url.js'
import { readTokens, type OwnerTokenState } from './owner-tokens-state.js'
import {
  API_URL,
  asObject,
  BOOLEAN,
  CLEANUP,
  ISO_TIME,
  parseJson,
  POSITIVE_ID,
  readFields,
  RUNNER_NAME,
  unusable,
  usable,
  type Json,
  type Parsed,
  type Unusable
} from './state-fields.js'

/**
 * The keys that say what main minted, for the post step to undo: 'token' (the installation
 * token itself) with 'revocation', or 'runner'. Each value's writer is beside its parser.
 */

/** The 'revocation' key: what the post step needs to revoke the token; not secret. */
export interface Revocation {
  apiUrl: string
  expiresAt: string
  revoke: boolean
  summary: boolean
}

/** An installation token to revoke: the 'token' and 'revocation' keys, checked. */
export type TokenState = { kind: 'installation-token'; token: string } & Revocation

/** The tokens 'owners' minted: the 'tokens' and 'revocation' keys, checked. */
export type OwnerTokensState = { kind: 'owner-tokens'; tokens: OwnerTokenState[] } & Revocation

export interface RegistrationTokenState {
  kind: 'runner-registration'
  /** Always 'never': a registration token can't be revoked, and no runner is known. */
  cleanup: 'never'
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

/** The 'runner' key: what the post step needs to find the runner again; no secret in it. */
export type RunnerState = RegistrationTokenState | JitRunnerState

export type PostState = { kind: 'nothing' } | Unusable | TokenState | OwnerTokensState | RunnerState

/** The JSON of 'revocation', its fields in the order main always wrote them. */
export function writeRevocation({ apiUrl, expiresAt, revoke, summary }: Revocation): string {
  return JSON.stringify({ apiUrl, expiresAt, revoke, summary })
}

/** The JSON of 'runner', its fields in the order main always wrote them. */
export function writeRunner(state: RunnerState): string {
  const { kind, cleanup, summary } = state
  if (kind === 'runner-registration')
    return JSON.stringify({ kind, cleanup, expiresAt: state.expiresAt, summary })
  const { runnerId, runnerName } = state
  return JSON.stringify({ kind, cleanup, runnerId, runnerName, summary })
}

/**
 * The main step's saved state, checked before anything is sent. State is written by main, but
 * a post step must not trust it: another action or step in the job can write `STATE_*` too, and
 * whatever is in it would otherwise pick the host a token is sent to or the runner deleted. Any
 * value that main could not have written makes the whole state unusable; its reason never
 * quotes the value. The token is masked first, whatever else the state holds.
 */
export function readPostState(ctx: Pick<ActionContext, 'core' | 'run'>): PostState {
  const { core } = ctx
  const token = core.getState('token')
  if (token) core.setSecret(token)
  const tokens = core.getState('tokens')
  const owned = tokens ? readTokens(tokens, (secret) => core.setSecret(secret)) : undefined
  const runner = core.getState('runner')
  const revocation = core.getState('revocation')
  if (runner && (token || tokens || revocation))
    return unusable("it holds both 'runner' and 'token' state")
  if (runner) return valueOf(runnerState(runner))
  if (token && owned) return unusable("it holds both 'token' and 'tokens' state")
  if (owned) return valueOf(ownerTokensState(ctx, owned, revocation))
  if (!token && !revocation) return { kind: 'nothing' }
  if (!token || !revocation) return unusable(`'${token ? 'revocation' : 'token'}' is missing`)
  return valueOf(tokenState(ctx, token, revocation))
}

const valueOf = <T>(parsed: Parsed<T>) => (parsed.kind === 'usable' ? parsed.value : parsed)

function tokenState(
  ctx: Pick<ActionContext, 'core' | 'run'>,
  token: string,
  raw: string
): Parsed<TokenState> {
  // It goes into an Authorization header: anything else cannot be a token main saved.
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(token)) {
    const state = jsonObject('revocation', raw)
    return state.kind === 'unusable'
      ? state
      : unusable("'token' holds whitespace or control characters")
  }
  const revocation = revocationState(ctx, raw)
  if (revocation.kind === 'unusable') return revocation
  return usable({ kind: 'installation-token', token, ...revocation.value })
}

function ownerTokensState(
  ctx: Pick<ActionContext, 'core' | 'run'>,
  tokens: Parsed<OwnerTokenState[]>,
  raw: string
): Parsed<OwnerTokensState> {
  if (tokens.kind === 'unusable') return tokens
  if (!raw) return unusable("'revocation' is missing")
  const revocation = revocationState(ctx, raw)
  if (revocation.kind === 'unusable') return revocation
  return usable({ kind: 'owner-tokens', tokens: tokens.value, ...revocation.value })
}

/** 'revocation' checked: its API URL must be the one this post step would use itself. */
function revocationState(
  ctx: Pick<ActionContext, 'core' | 'run'>,
  raw: string
): Parsed<Revocation> {
  const state = jsonObject('revocation', raw)
  if (state.kind === 'unusable') return state
  const url = readFields(state.value, 'revocation', { apiUrl: API_URL })
  if (url.kind === 'unusable') return url
  if (url.value.apiUrl !== ownApiUrl(ctx))
    return unusable("its API URL is not this step's 'github-api-url'")
  const rest = readFields(state.value, 'revocation', {
    expiresAt: ISO_TIME,
    revoke: BOOLEAN,
    summary: BOOLEAN
  })
  if (rest.kind === 'unusable') return rest
  return usable({ ...url.value, ...rest.value })
}

function runnerState(raw: string): Parsed<RunnerState> {
  const state = jsonObject('runner', raw)
  if (state.kind === 'unusable') return state
  const common = readFields(state.value, 'runner', { summary: BOOLEAN })
  if (common.kind === 'unusable') return common
  const { kind } = state.value
  if (kind === 'runner-registration') {
    const time = readFields(state.value, 'runner', { expiresAt: ISO_TIME })
    if (time.kind === 'unusable') return time
    return usable({ kind, cleanup: 'never', ...time.value, ...common.value })
  }
  if (kind !== 'runner-jit') return unusable("'runner' has an unknown kind")
  const jit = readFields(state.value, 'runner', {
    cleanup: CLEANUP,
    runnerId: POSITIVE_ID,
    runnerName: RUNNER_NAME
  })
  if (jit.kind === 'unusable') return jit
  return usable({ kind, ...jit.value, ...common.value })
}

/** The URL this post step would use itself; main saved it after the same normalisation. */
function ownApiUrl({ core, run }: Pick<ActionContext, 'core' | 'run'>): string | undefined {
  try {
    return parseApiUrl(core.getInput('github-api-url') || run.apiUrl)
  } catch {
    return undefined
  }
}

function jsonObject(name: string, raw: string): Parsed<Json> {
  const value = parseJson(name, raw)
  return value.kind === 'usable' ? asObject(value.value, name, 'a JSON object') : value
}
