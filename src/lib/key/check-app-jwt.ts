import type { Field } from '../field.js'
import { InputError } from '../input-error.js'
import type { GivenAppJwt } from '../requests.js'

/** GitHub refuses an App JWT that lives longer than this. */
const MAX_LIFETIME_S = 600
const PART = /^[A-Za-z0-9_-]+$/

/**
 * An App JWT signed elsewhere (a KMS, an HSM), checked before any request so that a wrong one
 * fails here with what is wrong, not at GitHub with a bare 401: three base64url parts, `alg`
 * RS256, an `iss`, a numeric `exp` in the future (our clock, which is all there is before the
 * first reply) and at most 10 minutes after a numeric `iat`. The signature is GitHub's to verify.
 * Messages name the field and the problem, never any part of the JWT.
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app
 */
export function checkAppJwt(raw: string, field: Field, now: number): GivenAppJwt {
  const jwt = raw.trim()
  const fail = (problem: string): never => {
    throw new InputError(
      `${field.subject} is not a usable App JWT: ${problem}. Sign a fresh one (RS256, iat, exp at most 10 minutes later, iss = the App ID or Client ID).`
    )
  }
  if (!jwt) fail('it is empty')
  const parts = jwt.split('.')
  if (parts.length !== 3 || !parts.every((part) => PART.test(part)))
    fail('a JWT is three base64url parts separated by dots')
  const header = decode(parts[0]!) ?? fail('its header is not base64url JSON')
  const payload = decode(parts[1]!) ?? fail('its payload is not base64url JSON')
  if (header.alg !== 'RS256') fail(`its header's alg is not RS256, which GitHub requires`)
  const iss = payload.iss
  if ((typeof iss !== 'string' || iss === '') && typeof iss !== 'number')
    fail('it has no iss (the App ID or Client ID)')
  const { exp, iat } = payload
  if (typeof exp !== 'number' || !Number.isFinite(exp)) fail('its exp is not a number')
  if (typeof iat !== 'number' || !Number.isFinite(iat)) fail('its iat is not a number')
  if ((exp as number) * 1000 <= now) fail('it has expired (exp is in the past)')
  if ((exp as number) - (iat as number) > MAX_LIFETIME_S)
    fail('its exp is more than 10 minutes after its iat, which GitHub refuses')
  return { jwt, issuer: String(iss), expiresAt: (exp as number) * 1000 }
}

function decode(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}
