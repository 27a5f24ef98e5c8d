import { serverUrlFor } from '../../lib/handoff/server-url.js'
import type { InstallationToken } from '../../lib/installation/create-installation-token.js'
import { installationPublisher } from '../../lib/mint/deliver-publishers.js'
import { mintCredential } from '../../lib/mint/mint-credential.js'
import { neutralize } from '../../lib/text/neutralize.js'
import { CREDENTIAL_FLAGS, SCOPE_FLAGS } from '../args/flags.js'
import type { FlagValues } from '../args/parse-command-line.js'
import { parseTokenRequest } from '../args/parse-token-request.js'
import { parseCliApiUrl } from '../args/parse-credentials.js'
import {
  cacheDirOf,
  cacheKey,
  credentialCache,
  REUSE_MARGIN_MS,
  type CachedToken
} from '../output/credential-cache.js'
import { EXIT, UsageError } from '../seam/errors.js'
import type { Command, CommandContext } from './command.js'

/**
 * `mint-token git-credential`: a git credential helper. git runs it with the operation last
 * (`get`, `store`, `erase`) and the credential's description on stdin, and reads the answer on
 * stdout (`git help credential`, "INPUT/OUTPUT FORMAT"). It answers only for the server behind
 * the API URL, so git falls through to the next helper for any other host.
 */
export const gitCredentialCommand: Command = {
  name: 'git-credential',
  summary:
    'A git credential helper: a token for git, minted when needed and cached until near expiry.',
  usage:
    '[credential flags] [--owner O] [--repositories A,B] [--permissions P:L,…] get|store|erase',
  flags: [...CREDENTIAL_FLAGS, ...SCOPE_FLAGS],
  operation: true,
  details: `Set it up once (the key from a file or GITHUB_APP_PRIVATE_KEY, never on the command line):
  git config --global credential.https://github.com.helper \\
    '!mint-token git-credential --app-id 12345 --private-key-file ~/.config/mint-token/app.pem --owner octo-org'
With credential.https://github.com.useHttpPath true, git names the repository and the token
covers that one repository only (it must be one of --owner's, and of --repositories if given).
get: username=x-access-token and a token, reused from a 0600 file under $XDG_CACHE_HOME/mint-token
(or ~/.cache/mint-token) until 10 minutes before it expires on GitHub's clock. store: ignored.
erase: the cached token is dropped. Another host or protocol: no answer, so git asks the next helper.`,
  run: async (values, rest, ctx) => {
    const [operation] = rest ?? []
    if (!operation)
      throw new UsageError(
        "No operation: git runs 'mint-token git-credential … get' (or store, erase) itself; see 'mint-token git-credential --help'."
      )
    if (values['private-key-stdin'])
      throw new UsageError(
        '--private-key-stdin does not work here: git writes the credential request to standard input. Use --private-key-file or GITHUB_APP_PRIVATE_KEY.'
      )
    const asked = parseDescription(await ctx.io.readStdin())
    // Unknown operations are git's future ones: a helper stays silent on those.
    if (!['get', 'erase'].includes(operation)) return EXIT.ok
    const server = new URL(serverUrlFor(ctx.deps.run, parseCliApiUrl(values, ctx.io, ctx.deps)))
    if (asked.protocol !== server.protocol.slice(0, -1) || asked.host !== server.host)
      return EXIT.ok
    const scoped = scopeOf(values, asked.path, ctx)
    if (!scoped) return EXIT.ok
    const request = await parseTokenRequest(scoped, ctx.io, ctx.deps, { rateLimit: false })
    const key = cacheKey({
      apiUrl: request.apiUrl,
      app: request.app?.appId,
      installation: request.installationId ?? null,
      owner: request.target.owner.toLowerCase(),
      repositories: request.target.repositories?.map((r) => r.toLowerCase()).sort() ?? null,
      permissions: request.permissions ?? null
    })
    const cache = credentialCache(cacheDirOf(ctx.io.env))
    if (operation === 'erase') {
      cache.drop(key)
      return EXIT.ok
    }
    const cached = cache.read(key)
    if (cached && usable(cached, ctx.deps.now())) {
      ctx.deps.log.mask(cached.token)
      return answer(ctx, cached)
    }
    let minted: CachedToken | undefined
    await mintCredential(
      ctx.deps,
      request,
      installationPublisher((_r, token: InstallationToken) => {
        minted = {
          token: token.token,
          expiresAt: token.expiresAt,
          offsetMs: ctx.deps.github.clock.offsetMs()
        }
        // Inside the rollback: a token that could not be cached is revoked, not left behind.
        cache.write(key, minted)
      })
    )
    return answer(ctx, minted!)
  }
}

/** What git asks about: the key=value lines up to a blank line or the end. */
function parseDescription(text: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const line of text.split('\n')) {
    if (line.trim() === '') break
    const at = line.indexOf('=')
    if (at > 0) fields[line.slice(0, at)] = line.slice(at + 1).replace(/\r$/, '')
  }
  return fields
}

/**
 * The flags this request mints with. With useHttpPath git names OWNER/REPO(.git): the token then
 * covers that repository alone, and only if the flags allow it; otherwise no answer (a line on
 * stderr says why), never a broader token.
 */
function scopeOf(
  values: FlagValues,
  path: string | undefined,
  ctx: CommandContext
): FlagValues | undefined {
  if (!path) return values
  const [owner = '', repo = ''] = path.replace(/\.git\/?$/, '').split('/')
  const allowedOwner = typeof values.owner === 'string' ? values.owner : owner
  const listed =
    typeof values.repositories === 'string'
      ? values.repositories.split(',').map((r) => r.trim().split('/').pop()!.toLowerCase())
      : undefined
  if (
    !owner ||
    !repo ||
    owner.toLowerCase() !== allowedOwner.toLowerCase() ||
    (listed && !listed.includes(repo.toLowerCase()))
  ) {
    ctx.deps.log.info(
      `mint-token git-credential: ${neutralize(path, 200)} is not within --owner/--repositories; no credential.`
    )
    return undefined
  }
  return { ...values, owner, repositories: repo }
}

/** Still good for a while on GitHub's clock (ours plus the offset learned when it was minted). */
function usable(entry: CachedToken, now: number): boolean {
  return Date.parse(entry.expiresAt) - (now + entry.offsetMs) > REUSE_MARGIN_MS
}

function answer(ctx: CommandContext, entry: CachedToken): number {
  // password_expiry_utc is on our clock, as git compares it with its own (git 2.41+ reads it).
  const expiry = Math.floor((Date.parse(entry.expiresAt) - entry.offsetMs) / 1000)
  ctx.io.stdout.write(
    `username=x-access-token\npassword=${entry.token}\npassword_expiry_utc=${expiry}\n`
  )
  return EXIT.ok
}
