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
  /** 'Organization', 'User' or 'Enterprise', as GitHub says. */
  targetType?: string
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
  if (target.enterprise) return findEnterpriseInstallation(request, target.owner, fields)
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

/**
 * The App's installation on an enterprise. Where GitHub has no such route (an older GHES), its
 * 404 can't be told from "not installed": the App's installations are then listed, and the one on
 * that enterprise picked, so both kinds of server find it, and a 404 says it is not there.
 * https://docs.github.com/en/rest/apps/apps#get-an-enterprise-installation-for-the-authenticated-app
 * https://docs.github.com/en/rest/apps/apps#list-installations-for-the-authenticated-app
 */
async function findEnterpriseInstallation(
  request: AppRequest,
  enterprise: string,
  fields: RequestFields
): Promise<Installation> {
  const route = 'GET /enterprises/{enterprise}/installation'
  try {
    const { data } = await request<unknown>(route, { enterprise })
    return toInstallation(data, route, enterprise)
  } catch (error) {
    if (httpStatus(error) !== 404) throw error
    const listed = await listedEnterpriseInstallation(request, enterprise)
    if (listed) return listed
    throw new Error(
      `No installation of this GitHub App was found on the enterprise '${enterprise}' (HTTP 404). Install the App on the enterprise (Enterprise settings → GitHub Apps), or check ${fields.enterprise?.name ?? "'enterprise'"} and that ${fields.app} names the right App.`,
      { cause: error }
    )
  }
}

const LIST_ROUTE = 'GET /app/installations'
/** Enough for any App: 1,000 installations; an App with more names its installation by ID. */
const MAX_PAGES = 10

async function listedEnterpriseInstallation(
  request: AppRequest,
  enterprise: string
): Promise<Installation | undefined> {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data } = await request<unknown>(LIST_ROUTE, { per_page: 100, page })
    if (!Array.isArray(data) || data.length === 0) return undefined
    const found = (data as unknown[]).find((item) => {
      const { target_type: type, account } = (item ?? {}) as {
        target_type?: unknown
        account?: { slug?: unknown; login?: unknown } | null
      }
      // GitHub's descriptions give an enterprise account a slug, or a login: either names it.
      const slug = account?.slug ?? account?.login
      return (
        type === 'Enterprise' &&
        typeof slug === 'string' &&
        slug.toLowerCase() === enterprise.toLowerCase()
      )
    })
    if (found) return toInstallation(found, LIST_ROUTE, enterprise)
    if (data.length < 100) return undefined
  }
  return undefined
}

/** The id goes into the mint's path, so it must be there; the rest only goes into messages. */
function toInstallation(data: unknown, route: string, fallbackAccount: string): Installation {
  const id = requireInteger(data, 'id', route)
  const account = (data as { account?: { login?: unknown; slug?: unknown } | null }).account
  const name = account?.login ?? account?.slug
  const type = (data as { target_type?: unknown }).target_type
  return {
    id,
    appSlug: requireString(data, 'app_slug', route),
    account: typeof name === 'string' && name !== '' ? name : fallbackAccount,
    permissions: stringEntries(data, 'permissions'),
    ...(typeof type === 'string' && { targetType: type })
  }
}
