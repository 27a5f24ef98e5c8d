import { bothFields, type RequestFields } from '../field.js'
import type { Target } from '../requests.js'
import { requireInteger, requireString, stringEntries } from '../transport/check-reply.js'
import type { AppRequest } from '../transport/create-app-request.js'
import { httpStatus } from '../transport/describe-request-error.js'

export interface Installation {
  id: number
  appSlug: string
  account: string
  permissions: Record<string, string>
}

/**
 * Finds the App's installation that covers the target. The answer also carries what the
 * installation grants, which lets us refuse an impossible request before minting anything.
 * https://docs.github.com/en/rest/apps/apps#get-a-repository-installation-for-the-authenticated-app
 * https://docs.github.com/en/rest/apps/apps#get-a-user-installation-for-the-authenticated-app
 * (the user endpoint answers for organizations too)
 */
export async function findInstallation(
  request: AppRequest,
  target: Target,
  fields: RequestFields
): Promise<Installation> {
  const repo = target.repositories?.[0]
  const [route, parameters]: [string, Record<string, string>] = repo
    ? ['GET /repos/{owner}/{repo}/installation', { owner: target.owner, repo }]
    : ['GET /users/{username}/installation', { username: target.owner }]
  try {
    const { data } = await request<unknown>(route, parameters)
    return toInstallation(data, route, target.owner)
  } catch (error) {
    if (httpStatus(error) !== 404) throw error
    const where = repo
      ? `the repository '${target.owner}/${repo}'`
      : `the account '${target.owner}'`
    throw new Error(
      `The GitHub App is not installed on ${where}, or cannot see it (HTTP 404). Install the App on '${target.owner}' ` +
        `and give it access to ${repo ? `'${repo}'` : 'the repositories you need'} (App settings → Install App), ` +
        `or check ${bothFields(fields.owner, fields.repositories)} and that ${fields.app} names the right App.`,
      { cause: error }
    )
  }
}

/** https://docs.github.com/en/rest/apps/apps#get-an-installation-for-the-authenticated-app */
export async function getInstallation(request: AppRequest, id: number): Promise<Installation> {
  const route = 'GET /app/installations/{installation_id}'
  const { data } = await request<unknown>(route, { installation_id: id })
  return toInstallation(data, route, String(id))
}

/** The id goes into the mint's path, so it must be there; the rest only goes into messages. */
function toInstallation(data: unknown, route: string, fallbackAccount: string): Installation {
  const id = requireInteger(data, 'id', route)
  const login = (data as { account?: { login?: unknown } | null }).account?.login
  return {
    id,
    appSlug: requireString(data, 'app_slug', route),
    account: typeof login === 'string' && login !== '' ? login : fallbackAccount,
    permissions: stringEntries(data, 'permissions')
  }
}
