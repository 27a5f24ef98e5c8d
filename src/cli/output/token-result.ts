import type { InstallationToken } from '../../lib/installation/create-installation-token.js'
import { tokenHash } from '../../lib/installation/token-hash.js'
import type { TokenExtras } from '../../lib/mint/mint-credential.js'

/** The token as a person may see it: its prefix (the kind of token) and its last 4 characters. */
export function maskToken(token: string): string {
  return `${token.slice(0, 4)}…${token.slice(-4)}`
}

/**
 * `mint-token token`'s result: everything about the token but the token. token_hash is what
 * GitHub's audit log shows (see tokenHash); app_slug is null when --installation-id skipped the
 * lookup that learns it; repositories is GitHub's repository_selection ("all") when it lists none.
 */
export function tokenResult(minted: InstallationToken, extras: Pick<TokenExtras, 'rateLimit'>) {
  return {
    token_masked: maskToken(minted.token),
    token_hash: tokenHash(minted.token),
    expires_at: minted.expiresAt,
    installation_id: minted.installationId,
    app_slug: minted.appSlug ?? null,
    repositories: minted.repositories ?? minted.repositorySelection,
    permissions: minted.permissions,
    ...(extras.rateLimit ? { rate_limit: extras.rateLimit } : {})
  }
}
