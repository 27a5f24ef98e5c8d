import type { AppCredentials, CommonRequest, MintRequest, Target } from '../../lib/requests.js'
import { checkAppJwt } from '../../lib/key/check-app-jwt.js'
import type { ActionContext } from '../action-context.js'
import { parseHandoffInputs } from './parse-handoff-inputs.js'
import { InputError } from '../../lib/input-error.js'
import { parseJitSettings } from '../../lib/parse/runner-settings.js'
import { refuseEnterprise, runnerScope, webUrl } from '../../lib/parse/runner-scope.js'
import { inputField } from '../../lib/field.js'
import { parseAppId, parseInstallationId } from '../../lib/parse/parse-app-id.js'
import { parseTokenFormat } from '../../lib/parse/parse-token-format.js'
import { parseApiUrl, plainHttpWarning } from './parse-api-url.js'
import { parseTarget } from './parse-target.js'
import { quoteInput } from '../../lib/text/quote-input.js'
import { readPrivateKey } from './read-private-key.js'
import { parseRevoke } from './parse-revoke.js'
import { parseBrokerInputs } from './parse-broker-inputs.js'
import { splitList } from '../../lib/text/split-list.js'
import type { BrokerSource, HandoffSettings } from '../../lib/requests.js'
import { parseAllPermissions, refusePermissionsFor } from './parse-permission-inputs.js'

const TOKEN_TYPES = ['installation', 'runner-registration', 'runner-jit'] as const

/** Every input, read and validated once, before any request is made. */
export function parseInputs(
  ctx: Pick<ActionContext, 'core' | 'run' | 'readKeyFile' | 'now'>
): MintRequest {
  const { core, run } = ctx
  const tokenType = parseTokenType(core.getInput('token-type'))
  if (tokenType !== 'installation' && core.getInput('enterprise').trim())
    throw new InputError(
      `Input 'enterprise' applies to 'token-type: installation' only; enterprise-level runners can't be managed with a GitHub App. Register the runner with an organization ('owner: ORG').`
    )
  if (tokenType !== 'installation') refuseEnterprise(core.getInput('owner'))
  const handoff = parseHandoffInputs({
    read: (name) => core.getInput(name),
    readBoolean: (name) => readBoolean(core, name),
    tokenType
  })
  const readers = { read: (name: string) => core.getInput(name), environment: run.environment }
  const broker = parseBrokerInputs(readers.read)
  if (broker) return parseBrokerRequest(ctx, broker, tokenType, handoff)
  const common = { ...parseCommonInputs(ctx), handoff }
  const { apiUrl } = common
  if (common.app && 'jwt' in common.app) refuseAfterJwt(core, tokenType, handoff)
  if (tokenType === 'installation') {
    const permissions = parseAllPermissions(readers)
    const revoke = parseRevoke({ ...readers, readBoolean: (name) => readBoolean(core, name) })
    const tokenFormat = parseTokenFormat(core.getInput('token-format'), inputField('token-format'))
    return { ...common, tokenType, permissions, tokenFormat, revoke }
  }
  refusePermissionsFor(tokenType, readers)
  refuseTokenFormatFor(tokenType, core.getInput('token-format'))
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
  ctx: Pick<ActionContext, 'core' | 'run' | 'readKeyFile' | 'now'>
): CommonRequest {
  const { core, run } = ctx
  const apiUrl = parseApiUrl(core.getInput('github-api-url') || run.apiUrl)
  const insecure = plainHttpWarning(apiUrl)
  if (insecure) core.warning(insecure)
  return {
    app: core.getInput('app-jwt').trim()
      ? parseGivenJwt(ctx)
      : {
          appId: parseAppId(given(core, 'app-id'), given(core, 'client-id'), NO_APP_ID),
          privateKey: readPrivateKey(ctx)
        },
    installationId: parseInstallationId(given(core, 'installation-id')),
    target: core.getInput('enterprise').trim()
      ? parseEnterprise(core)
      : parseTarget(core.getInput('owner'), core.getInput('repositories'), run.repository),
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

/**
 * A runner credential is not an installation token. The installation token the step mints to
 * register the runner is asked for in GitHub's default format: it is used for one or two requests
 * and revoked before the step ends, so no tool of the workflow ever sees it.
 */
function refuseTokenFormatFor(tokenType: string, raw: string): void {
  if (!raw.trim()) return
  throw new InputError(
    `Input 'token-format' applies to 'token-type: installation' only; a ${tokenType} credential is not an installation token. Remove 'token-format'.`
  )
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

/**
 * The request a broker mints: no App, and what the policy's grant decides is left to it. The
 * owner, and a runner's home, come from the broker's reply (see mintCredential); until then the
 * target names no owner.
 */
function parseBrokerRequest(
  ctx: Pick<ActionContext, 'core' | 'run'>,
  asked: BrokerSource,
  tokenType: MintRequest['tokenType'],
  handoff: HandoffSettings
): MintRequest {
  let broker = asked
  const { core, run } = ctx
  if (handoff.refresh) {
    // The refresher asks the broker again long after this step, with OIDC tokens it gets from
    // the runner's token service itself: the service's URL and request token go to it (masked).
    const env = run.environment ?? {}
    const url = env.ACTIONS_ID_TOKEN_REQUEST_URL
    const token = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
    if (!url || !token)
      throw new InputError(
        "Inputs 'broker-url' and 'token-refresh' need the job's OIDC token: add 'permissions: id-token: write' to the job."
      )
    core.setSecret(token)
    broker = { ...broker, idTokenService: { url, token } }
  }
  const apiUrl = parseApiUrl(core.getInput('github-api-url') || run.apiUrl)
  const names = splitList(core.getInput('repositories'))
  const bad = names.find((name) => !/^([A-Za-z0-9-]{1,39}\/)?[A-Za-z0-9._-]{1,100}$/.test(name))
  if (bad !== undefined)
    throw new InputError(
      `Input 'repositories' has ${quoteInput(bad)}, which is not a repository name ('name' or 'owner/name').`
    )
  const common = {
    broker,
    target: { owner: '', repositories: names.length > 0 ? names : undefined },
    apiUrl,
    summary: readBoolean(core, 'summary'),
    handoff
  }
  const readers = { read: (name: string) => core.getInput(name), environment: run.environment }
  if (tokenType === 'installation') {
    const permissions = parseAllPermissions(readers)
    const revoke = parseRevoke({ ...readers, readBoolean: (name) => readBoolean(core, name) })
    return { ...common, tokenType, permissions, revoke }
  }
  refusePermissionsFor(tokenType, readers)
  // Filled from the broker's reply, which says where the grant registers the runner.
  const home = { scope: { kind: 'org' as const, org: '' }, runnerUrl: '' }
  if (tokenType === 'runner-registration') return { ...common, ...home, tokenType }
  const labels = [...new Set(splitList(core.getInput('runner-labels')))]
  const name = core.getInput('runner-name').trim() || undefined
  return {
    ...common,
    ...home,
    tokenType,
    jit: {
      labels,
      name,
      namePrefix: '',
      workFolder: '',
      cleanup: parseCleanupInput(core.getInput('runner-cleanup'))
    },
    run: { id: run.runId, attempt: run.runAttempt }
  }
}

function parseCleanupInput(raw: string) {
  const value = raw.trim() || 'never'
  if (value === 'never' || value === 'if-unused' || value === 'always') return value
  throw new InputError(
    `Input 'runner-cleanup' is ${quoteInput(value)}; expected one of: never, if-unused, always.`
  )
}

/**
 * 'app-jwt': an App JWT signed in an earlier step (a KMS, an HSM) instead of a key. Masked before
 * anything else, refused with a key, checked (see checkAppJwt); 'app-id'/'client-id' may be left
 * out, as its iss says which App it is, and must agree with it when set.
 */
function parseGivenJwt(ctx: Pick<ActionContext, 'core' | 'now'>): AppCredentials {
  const { core } = ctx
  const raw = core.getInput('app-jwt').trim()
  core.setSecret(raw)
  for (const name of ['private-key', 'private-key-file'])
    if (core.getInput(name).trim())
      throw new InputError(
        `Inputs 'app-jwt' and '${name}' are both set; the JWT is signed elsewhere so that no key is in the workflow. Remove '${name}'.`
      )
  const jwt = checkAppJwt(raw, inputField('app-jwt'), ctx.now())
  for (const name of ['app-id', 'client-id']) {
    const id = core.getInput(name).trim()
    if (id && id !== jwt.issuer)
      throw new InputError(
        `Input '${name}' is ${quoteInput(id)}, but the App JWT's iss names another App; leave '${name}' out (the JWT says which App it is) or fix it.`
      )
  }
  return { appId: jwt.issuer, jwt }
}

/**
 * What would need an App request after the JWT has expired: the refresher (it mints again for
 * hours) and a runner's removal by the post step (it asks for a runner token as the App).
 */
function refuseAfterJwt(
  core: ActionContext['core'],
  tokenType: MintRequest['tokenType'],
  handoff: HandoffSettings
): void {
  if (handoff.refresh)
    throw new InputError(
      "Inputs 'app-jwt' and 'token-refresh' are both set; the refresher mints again for hours and can't sign a new JWT. Leave 'token-refresh' out, or pass a key."
    )
  const cleanup = core.getInput('runner-cleanup').trim() || 'never'
  if (tokenType === 'runner-jit' && cleanup !== 'never')
    throw new InputError(
      `Inputs 'app-jwt' and 'runner-cleanup: ${cleanup}' are both set; the post step would ask GitHub as the App after the JWT expired. Use 'runner-cleanup: never' (the runner removes itself after its job), or pass a key.`
    )
}

/**
 * 'enterprise': the App's installation on an enterprise (enterprise permissions only). It has no
 * repositories, so 'owner' and 'repositories' would only contradict it.
 */
function parseEnterprise(core: ActionContext['core']): Target {
  const slug = core.getInput('enterprise').trim()
  for (const name of ['owner', 'repositories'])
    if (core.getInput(name).trim())
      throw new InputError(
        `Inputs 'enterprise' and '${name}' are both set; an enterprise installation has no repositories of its own. Set 'enterprise' alone, or 'owner'/'repositories' for an organization's installation.`
      )
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,98}[A-Za-z0-9])?$/.test(slug))
    throw new InputError(
      `Input 'enterprise' is ${quoteInput(slug)}; expected an enterprise's slug, as in https://github.com/enterprises/SLUG.`
    )
  return { owner: slug, enterprise: true }
}
