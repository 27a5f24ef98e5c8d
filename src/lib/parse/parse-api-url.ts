import { InputError } from '../input-error.js'
import { quoteInput } from '../text/quote-input.js'
import { trimTrailingSlashes } from '../text/trim-trailing-slashes.js'
import type { Field } from '../field.js'

/** Scheme, then the authority: everything up to the first '/', '?', '#' or '\' (as URL reads it). */
const AUTHORITY = /^([a-z][a-z0-9+.-]*:\/\/)?([^/?#\\]*)/i

/**
 * The API's base URL (the action's 'github-api-url', the command line's --api-url): an http(s) base URL, without a trailing slash. Refused: a user name
 * or password (the App authenticates each request itself, and the URL is logged and derived into
 * 'runner-url'), a query string and a fragment (every API path is appended to the URL). A
 * refusal never echoes a password: it names the part and shows the URL without it.
 */
export function parseApiUrl(raw: string, field: Field): string {
  const value = trimTrailingSlashes(raw.trim())
  const url = httpUrl(value)
  const [, scheme = '', authority = ''] = AUTHORITY.exec(value) ?? []
  if (authority.includes('@') || url?.username || url?.password) {
    const fixed = url ? bare(url) : scheme + authority.slice(authority.lastIndexOf('@') + 1)
    throw refusal(field, "a user name or password ('user:password@' before the host)", fixed)
  }
  // eslint-disable-next-line no-control-regex
  if (!url || /[\s\u0000-\u001f\u007f]/.test(value)) {
    throw new InputError(
      `${field.subject} is ${quoteInput(value)}, which is not an http(s) URL. Expected e.g. https://api.github.com or https://HOST/api/v3.`
    )
  }
  const part = /[?#]/.exec(value)?.[0]
  if (part)
    throw refusal(field, part === '?' ? "a query string ('?…')" : "a fragment ('#…')", bare(url))
  return value
}

function refusal(field: Field, part: string, fixed: string): InputError {
  return new InputError(
    `${field.subject} has ${part}, which is not allowed in the API's base URL. Remove it: ${quoteInput(fixed)}.`
  )
}

function httpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value)
    return /^https?:$/.test(url.protocol) ? url : undefined
  } catch {
    return undefined
  }
}

/** The URL without user name, password, query and fragment. */
function bare(url: URL): string {
  return trimTrailingSlashes(`${url.protocol}//${url.host}${url.pathname}`)
}

/**
 * A warning when requests would carry the App's JWT and tokens unencrypted across a network:
 * plain http:// to a host other than this machine (127.0.0.0/8, ::1, localhost).
 */
export function plainHttpWarning(apiUrl: string, field: Field): string | undefined {
  const url = new URL(apiUrl)
  if (url.protocol !== 'http:') return undefined
  // URL normalises the host: '127.1' and '0x7f.0.0.1' become '127.0.0.1'; IPv6 is bracketed.
  const host = url.hostname
  if (host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host))
    return undefined
  return `${field.subject} is ${quoteInput(apiUrl)}: plain http:// to a host that is not this machine, so the App's JWT and the tokens it mints cross the network unencrypted. Use https://.`
}
