import { InputError } from '../input-error.js'
import { quoteInput } from '../text/quote-input.js'

/**
 * The origin of an http(s) URL, as git matches a `credential.<url>.*` key: scheme://host[:port],
 * the host lower-cased and the scheme's default port dropped (URL does both), without user name,
 * password, path, query or fragment. Keys scoped to exactly this origin apply to no other scheme,
 * host or port. https://git-scm.com/docs/gitcredentials#_credential_contexts
 *
 * `name` says where the URL came from (e.g. 'github-api-url'), for the error.
 */
export function originOf(url: string, options: { name?: string } = {}): string {
  const name = options.name ?? 'The server URL'
  let parsed: URL
  try {
    parsed = new URL(url.trim())
  } catch {
    throw new InputError(
      `${name} is ${quoteInput(url)}, which is not a URL. Expected an http(s) URL such as https://github.com.`
    )
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    // Only the scheme is quoted: the rest may hold a user name and password.
    throw new InputError(
      `${name} has the scheme ${quoteInput(parsed.protocol)}, which is not http: or https:. Git credentials are configured for an http(s) server such as https://github.com.`
    )
  }
  return parsed.origin
}
