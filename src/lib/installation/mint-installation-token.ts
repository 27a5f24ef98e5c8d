import type { TokenFormat } from '../requests.js'
import type { AppRequest } from '../transport/create-app-request.js'
import {
  requireObjects,
  requireString,
  requireTimestamp,
  stringEntries
} from '../transport/check-reply.js'

export interface MintedToken {
  token: string
  expiresAt: string
  permissions: Record<string, string>
  repositorySelection: string
  repositories?: string[]
}

const ROUTE = 'POST /app/installations/{installation_id}/access_tokens'

/**
 * Retrying the mint after a lost reply is safe (it only adds a token), but the first attempt may
 * have minted one: say so, so that a token in GitHub's audit log is not a mystery.
 */
export const MINT_RETRY_NOTE =
  'GitHub may have minted a token whose reply was lost; this step never saw it, and it expires by itself within the hour.'

/**
 * GitHub's temporary header that overrides its rollout of the stateless format for one mint:
 * 'enabled' forces a stateless token, 'disabled' a classic one; without it (or with any other
 * value, which GitHub ignores) the rollout decides.
 * https://github.blog/changelog/2026-05-15-github-app-installation-tokens-per-request-override-header/
 */
export const TOKEN_FORMAT_HEADER = 'X-GitHub-Stateless-S2S-Token'
const HEADER_VALUES: Record<TokenFormat, string> = { stateless: 'enabled', classic: 'disabled' }

/**
 * The token is used as given: its length and alphabet are GitHub's business (classic tokens are
 * 40 characters, stateless ones about 520, with dots, dashes and underscores). `format` asks for
 * one of them; undefined sends no header.
 * https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app
 */
export async function mintInstallationToken(
  request: AppRequest,
  installationId: number,
  scope: { repositories?: string[]; permissions?: Record<string, string>; format?: TokenFormat }
): Promise<MintedToken> {
  const { data } = await request<unknown>(ROUTE, {
    installation_id: installationId,
    ...(scope.repositories && { repositories: scope.repositories }),
    ...(scope.permissions && { permissions: scope.permissions }),
    ...(scope.format && { headers: { [TOKEN_FORMAT_HEADER]: HEADER_VALUES[scope.format] } }),
    request: { retryNote: MINT_RETRY_NOTE }
  })
  const token = requireString(data, 'token', ROUTE)
  const expiresAt = requireTimestamp(data, 'expires_at', ROUTE)
  const selection = (data as { repository_selection?: unknown }).repository_selection
  return {
    token,
    expiresAt,
    permissions: stringEntries(data, 'permissions'),
    repositorySelection: typeof selection === 'string' ? selection : 'all',
    repositories: repositoriesOf(data)
  }
}

/** The names of the repositories the token covers, when GitHub lists them. */
function repositoriesOf(data: unknown): string[] | undefined {
  if ((data as { repositories?: unknown }).repositories === undefined) return undefined
  return requireObjects(data, 'repositories', ROUTE).map((repository) =>
    requireString(repository, 'name', `${ROUTE} (repositories[])`)
  )
}

/**
 * Which format a token GitHub returned is in, as GitHub says to tell them apart: a stateless
 * token is a JWT after its prefix (two dots), a classic one has no dot.
 */
export function tokenFormatOf(token: string): TokenFormat {
  return token.split('.').length === 3 ? 'stateless' : 'classic'
}
