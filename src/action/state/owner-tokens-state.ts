import { LOGIN } from '../../lib/parse/parse-target.js'
import { asObject, parseJson, unusable, usable, type Parsed } from './state-fields.js'

/**
 * The 'tokens' key: the tokens 'owners' minted, `{"<owner>": "<token>"}`, each masked before it
 * was saved (see publish), for the post step to revoke with 'revocation'. Secret, as 'token' is.
 */
export interface OwnerTokenState {
  owner: string
  token: string
}

/** The JSON of 'tokens', in the order of 'owners'. */
export function writeTokens(tokens: Record<string, string>): string {
  return JSON.stringify(tokens)
}

/**
 * 'tokens' checked: every owner a login, every token fit for an Authorization header. Each
 * token is handed to `mask` before any check can fail, whatever else the value holds.
 */
export function readTokens(raw: string, mask: (token: string) => void): Parsed<OwnerTokenState[]> {
  const json = parseJson('tokens', raw)
  if (json.kind === 'unusable') return json
  const object = asObject(json.value, 'tokens', 'a JSON object')
  if (object.kind === 'unusable') return object
  const entries = Object.entries(object.value)
  for (const [, token] of entries) if (typeof token === 'string' && token) mask(token)
  if (entries.length === 0) return unusable("'tokens' holds no token")
  const tokens: OwnerTokenState[] = []
  for (const [owner, token] of entries) {
    if (!LOGIN.test(owner)) return unusable("'tokens' has a key that is not an account name")
    // eslint-disable-next-line no-control-regex -- control characters are what this refuses
    if (typeof token !== 'string' || !token || /[\s\u0000-\u001f\u007f]/.test(token))
      return unusable("'tokens' has a value that is not a token")
    tokens.push({ owner, token })
  }
  return usable(tokens)
}
