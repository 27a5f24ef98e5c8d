import type { Deps } from '../seam/deps.js'
import { appOf } from './create-installation-token.js'
import type { AppCredentials } from '../requests.js'
import { describeRequestError } from '../transport/describe-request-error.js'
import { neutralize } from '../text/neutralize.js'

/** An App's slug, as GitHub makes it from the App's name. */
const SLUG = /^[a-z0-9-]{1,100}$/i

/** Who commits made with the token are authored by: the App's bot user. */
export interface BotIdentity {
  name: string
  userId: number
  email: string
}

export interface BotRequest {
  apiUrl: string
  serverUrl: string
  /** Only to learn the slug when it is not known (a broker's reply always says it). */
  app?: AppCredentials
  token: string
  /** Known from the installation lookup; unknown when 'installation-id' skipped it. */
  appSlug?: string
}

/**
 * The bot user `<slug>[bot]` and its noreply address, which GitHub links to the App in commits:
 * `<id>+<slug>[bot]@users.noreply.github.com`, or the GHES host's noreply domain.
 * https://docs.github.com/en/rest/users/users#get-a-user
 * https://docs.github.com/en/rest/apps/apps#get-the-authenticated-app (only without a slug)
 */
export async function fetchBotIdentity(
  ctx: Pick<Deps, 'github'>,
  request: BotRequest
): Promise<BotIdentity> {
  const slug = request.appSlug ?? (await appSlug(ctx, request))
  if (!SLUG.test(slug)) {
    throw new Error(
      `Input 'bot-identity': the App's slug '${neutralize(slug, 100)}' from GitHub's reply is not a slug (letters, digits and '-').`
    )
  }
  const { data } = await named(`GET /users/${slug}[bot]`, () =>
    ctx.github
      .asToken(request.apiUrl, request.token)
      .request('GET /users/{username}', { username: `${slug}[bot]` })
  )
  const { id, login } = data as { id?: unknown; login?: unknown }
  // The login goes into the 'bot-name' and 'bot-email' outputs, which workflows put in shell
  // commands and git config: only the very user asked for is accepted, never foreign text.
  if (!Number.isSafeInteger(id) || login !== `${slug}[bot]`) {
    throw new Error(
      `GET /users/${slug}[bot] answered without the bot user's integer 'id' and the 'login' '${slug}[bot]'.`
    )
  }
  const host = new URL(request.serverUrl).hostname
  return {
    name: login,
    userId: id as number,
    email: `${id as number}+${login}@users.noreply.${host}`
  }
}

async function appSlug(ctx: Pick<Deps, 'github'>, request: BotRequest): Promise<string> {
  const { data } = await named('GET /app', () =>
    ctx.github.asApp(request.apiUrl, appOf(request))<{ slug?: unknown }>('GET /app')
  )
  if (typeof data.slug !== 'string' || !SLUG.test(data.slug)) {
    throw new Error("GET /app answered without the App's 'slug'.")
  }
  return data.slug
}

/**
 * A failed request, after its retries, named with the input that asked for it: the token is
 * minted (and now revoked) by then, so a bare 'HTTP 500' would not say which step went wrong.
 */
async function named<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request()
  } catch (error) {
    throw new Error(`Input 'bot-identity': ${what} failed (${describeRequestError(error)}).`, {
      cause: error
    })
  }
}
