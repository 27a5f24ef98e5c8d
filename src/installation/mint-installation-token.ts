import type { AppRequest } from '../github/create-app-request.js'

export interface MintedToken {
  token: string
  expiresAt: string
  permissions: Record<string, string>
  repositorySelection: string
  repositories?: string[]
}

interface TokenData {
  token: string
  expires_at: string
  permissions?: Record<string, string>
  repository_selection?: string
  repositories?: { name: string }[]
}

/** https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app */
export async function mintInstallationToken(
  request: AppRequest,
  installationId: number,
  scope: { repositories?: string[]; permissions?: Record<string, string> }
): Promise<MintedToken> {
  const { data } = await request<TokenData>(
    'POST /app/installations/{installation_id}/access_tokens',
    {
      installation_id: installationId,
      ...(scope.repositories && { repositories: scope.repositories }),
      ...(scope.permissions && { permissions: scope.permissions })
    }
  )
  return {
    token: data.token,
    expiresAt: data.expires_at,
    permissions: data.permissions ?? {},
    repositorySelection: data.repository_selection ?? 'all',
    repositories: data.repositories?.map((repository) => repository.name)
  }
}
