import type { CommonRequest, MintRequest } from '../../lib/requests.js'
import type { ActionContext } from '../action-context.js'
import { parseHandoffInputs } from './parse-handoff-inputs.js'
import { InputError } from '../../lib/input-error.js'
import { parseJitSettings } from '../../lib/parse/runner-settings.js'
import { refuseEnterprise, runnerScope, webUrl } from '../../lib/parse/runner-scope.js'
import { inputField } from '../../lib/field.js'
import { parseAppId, parseInstallationId } from '../../lib/parse/parse-app-id.js'
import { parseApiUrl, plainHttpWarning } from './parse-api-url.js'
import { parseTarget } from './parse-target.js'
import { quoteInput } from '../../lib/text/quote-input.js'
import { readPrivateKey } from './read-private-key.js'
import { parseRevoke } from './parse-revoke.js'
import { parseAllPermissions, refusePermissionsFor } from './parse-permission-inputs.js'

const TOKEN_TYPES = ['installation', 'runner-registration', 'runner-jit'] as const

/** Every input, read and validated once, before any request is made. */
export function parseInputs(ctx: Pick<ActionContext, 'core' | 'run' | 'readKeyFile'>): MintRequest {
  const { core, run } = ctx
  const tokenType = parseTokenType(core.getInput('token-type'))
  if (tokenType !== 'installation') refuseEnterprise(core.getInput('owner'))
  const handoff = parseHandoffInputs({
    read: (name) => core.getInput(name),
    readBoolean: (name) => readBoolean(core, name),
    tokenType
  })
  const common = { ...parseCommonInputs(ctx), handoff }
  const { apiUrl } = common
  const readers = { read: (name: string) => core.getInput(name), environment: run.environment }
  if (tokenType === 'installation') {
    const permissions = parseAllPermissions(readers)
    const revoke = parseRevoke({ ...readers, readBoolean: (name) => readBoolean(core, name) })
    return { ...common, tokenType, permissions, revoke }
  }
  refusePermissionsFor(tokenType, readers)
  const scope = runnerScope(common.target)
  const runnerUrl = webUrl(run, apiUrl, scope)
  if (tokenType === 'runner-registration') return { ...common, tokenType, scope, runnerUrl }
  const jit = parseJitSettings({ read: (name) => core.getInput(name) }, scope)
  return {
    ...common,
    tokenType,
    scope,
    runnerUrl,
    jit,
    run: { id: run.runId, attempt: run.runAttempt }
  }
}

/**
 * What every entry that talks to GitHub as the App shares: the credentials, the installation,
 * the target, the API URL and the summary switch (the main step and prune-runners).
 */
export function parseCommonInputs(
  ctx: Pick<ActionContext, 'core' | 'run' | 'readKeyFile'>
): CommonRequest {
  const { core, run } = ctx
  const apiUrl = parseApiUrl(core.getInput('github-api-url') || run.apiUrl)
  const insecure = plainHttpWarning(apiUrl)
  if (insecure) core.warning(insecure)
  return {
    app: {
      appId: parseAppId(given(core, 'app-id'), given(core, 'client-id'), NO_APP_ID),
      privateKey: readPrivateKey(ctx)
    },
    installationId: parseInstallationId(given(core, 'installation-id')),
    target: parseTarget(core.getInput('owner'), core.getInput('repositories'), run.repository),
    apiUrl,
    summary: readBoolean(core, 'summary')
  }
}

const NO_APP_ID =
  "Neither 'app-id' nor 'client-id' is set. Pass one (e.g. 'client-id: ${{ vars.APP_CLIENT_ID }}'). If it comes from a secret or variable, it may be unavailable in this context (pull requests from forks, Dependabot)."

const given = (core: ActionContext['core'], name: string) => ({
  raw: core.getInput(name),
  field: inputField(name)
})

/** @actions/core's own message spans two lines and names no fix; ours names the input and value. */
export function readBoolean(core: ActionContext['core'], name: string): boolean {
  try {
    return core.getBooleanInput(name)
  } catch {
    throw new InputError(
      `Input '${name}' is ${quoteInput(core.getInput(name))}; expected true or false.`
    )
  }
}

function parseTokenType(raw: string): (typeof TOKEN_TYPES)[number] {
  const value = raw.trim() || 'installation'
  const known = TOKEN_TYPES.find((type) => type === value)
  if (!known) {
    throw new InputError(
      `Input 'token-type' is ${quoteInput(value)}; expected one of: ${TOKEN_TYPES.join(', ')}.`
    )
  }
  return known
}
