import { ACTION_FIELDS } from '../field.js'
import type { AppCredentials, CommonRequest, TokenFormat } from '../requests.js'
import type { Deps } from '../seam/deps.js'
import { neutralize } from '../text/neutralize.js'
import type { AppRequest } from '../transport/create-app-request.js'
import { httpStatus } from '../transport/describe-request-error.js'
import {
  describeMissingPermissions,
  findMissingPermissions
} from '../permissions/find-missing-permissions.js'
import { findInstallation, getInstallation, type Installation } from './find-installation.js'
import {
  mintInstallationToken,
  TOKEN_FORMAT_HEADER,
  tokenFormatOf,
  type MintedToken
} from './mint-installation-token.js'

export interface InstallationToken extends MintedToken {
  installationId: number
  /** Unknown when 'installation-id' skipped the lookup. */
  appSlug?: string
}

export type TokenRequest = Pick<
  CommonRequest,
  'app' | 'apiUrl' | 'installationId' | 'target' | 'fields'
> & {
  permissions?: Record<string, string>
  /** undefined: GitHub's default format, no header (as for the runner admin token). */
  tokenFormat?: TokenFormat
  /** Why these permissions are needed, when it is not the 'permissions' input. */
  neededFor?: string
}

/**
 * Finds the installation (unless its ID was given), refuses permissions it does not grant, then
 * mints. With 'installation-id' the mint is the only request; a 422 then costs one lookup to say
 * precisely which permissions are missing.
 */
export async function createInstallationToken(
  ctx: Deps,
  inputs: TokenRequest
): Promise<InstallationToken> {
  const request = ctx.github.asApp(inputs.apiUrl, appOf(inputs))
  const installation = inputs.installationId
    ? undefined
    : await findInstallation(request, inputs.target, inputs.fields ?? ACTION_FIELDS)
  if (installation) assertGranted(inputs, installation)
  const installationId = inputs.installationId ?? installation!.id
  const scope = {
    repositories: inputs.target.repositories,
    permissions: inputs.permissions,
    format: inputs.tokenFormat
  }
  ctx.log.debug(
    `Installation ${installationId}${installation ? ` (looked up; grants ${Object.keys(installation.permissions).length} permissions)` : ' (given)'}: minting for ${neutralize(scope.repositories?.join(', ') ?? 'every repository')} with ${scope.permissions ? neutralize(JSON.stringify(scope.permissions)) : 'every granted permission'}${scope.format ? `, in the ${scope.format} format` : ''}.`
  )
  try {
    const minted = await mintInstallationToken(request, installationId, scope)
    warnOnOtherFormat(ctx, inputs.tokenFormat, minted.token)
    return { ...minted, installationId, appSlug: installation?.appSlug }
  } catch (error) {
    if (httpStatus(error) === 422) await explainRefusal(request, inputs, installationId, error)
    if (httpStatus(error) === 404 && inputs.installationId) {
      const { installationId: field, owner, repositories } = inputs.fields ?? ACTION_FIELDS
      throw new Error(
        `${field.subject} is ${installationId}, but this App has no such installation (HTTP 404). Copy the ID from the installation's settings URL (…/settings/installations/ID), or leave ${field.name} empty to look it up from ${owner.name}/${repositories.name}.`,
        { cause: error }
      )
    }
    throw error
  }
}

/**
 * The header is temporary, and a server that does not know it (an older GitHub Enterprise Server)
 * ignores it: the token still works, so a warning, not a failure, for what the format was asked
 * for (a tool with a fixed-length column or pattern).
 */
function warnOnOtherFormat(ctx: Deps, asked: TokenFormat | undefined, token: string): void {
  const got = tokenFormatOf(token)
  if (!asked || got === asked) return
  ctx.log.warning(
    `GitHub returned a ${got} installation token (${token.length} characters) although a ${asked} one was asked for (header ${TOKEN_FORMAT_HEADER}): this server ignores the header, which GitHub offers only during the format's rollout. The token works; a tool that expects a ${asked} token may not.`
  )
}

function assertGranted(inputs: TokenRequest, installation: Installation): void {
  if (!inputs.permissions) return
  const missing = findMissingPermissions(inputs.permissions, installation.permissions)
  if (missing.length > 0) {
    const { appSlug, account } = installation
    // An enterprise installation grants enterprise permissions only: say so, or the fix is a guess.
    const enterprise =
      installation.targetType === 'Enterprise'
        ? ' An installation on an enterprise grants enterprise permissions only (such as enterprise_organization_installations); for repository or organization permissions, mint with the installation on an organization.'
        : ''
    throw new Error(
      describeMissingPermissions(missing, {
        appSlug,
        account,
        neededFor: inputs.neededFor,
        field: inputs.fields?.permissions
      }) + enterprise
    )
  }
}

async function explainRefusal(
  request: AppRequest,
  inputs: TokenRequest,
  id: number,
  error: unknown
) {
  const message = error instanceof Error ? error.message : ''
  if (/permissions/i.test(message) && inputs.permissions && inputs.installationId) {
    assertGranted(inputs, await getInstallation(request, id))
  }
  if (/repositor/i.test(message)) {
    throw new Error(
      `GitHub refused to mint a token for repositories ${inputs.target.repositories?.map((r) => `'${r}'`).join(', ')} (HTTP 422): at least one does not exist or is not selected in installation ${id}. Check ${(inputs.fields ?? ACTION_FIELDS).repositories.name}, or add them under the installation's Repository access.`
    )
  }
}

/** The App's key of a request signed here; a broker request never comes this way. */
export function appOf(request: Pick<CommonRequest, 'app'>): AppCredentials {
  if (!request.app) throw new Error('mint-token: this request goes through a broker, not the App.')
  return request.app
}
