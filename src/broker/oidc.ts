import {
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type RemoteJWKSet
} from 'jose'
import { neutralize } from '../lib/text/neutralize.js'
import { trimTrailingSlashes } from '../lib/text/trim-trailing-slashes.js'
import { BrokerError } from './broker-error.js'

type Fetch = (url: string, init?: RequestInit) => Promise<Response>

/** The claims of a verified caller: what policies match on and the audit trail records. */
export type Claims = JWTPayload & Record<string, unknown>

export interface Verifier {
  /** The token's claims once it is proven; a BrokerError (401, or 503) otherwise. */
  verify(authorization: string | undefined): Promise<Claims>
}

export interface VerifierOptions {
  issuers: string[]
  audience: string
  now: () => number
  /** The fetch for an issuer's URLs (discovery and keys): the proxy rules of its host. */
  fetchFor: (url: string) => Fetch
  /** A key set was fetched (for /metrics). */
  onKeysFetched?: (issuer: string) => void
  /** Replays: true the first time a jti is seen, until the token's expiry. */
  claimJti: (issuer: string, jti: string, expiresAt: Date) => Promise<boolean>
}

/** What callers may sign with: asymmetric only, so no key of ours can forge a token. */
export const ALGORITHMS = ['RS256', 'ES256']
const LEEWAY_S = 60
const MAX_AGE = '10m'

/**
 * OIDC tokens verified with jose: the issuer picked from the trusted list by exact match before
 * any network request, its keys found through its discovery document and cached by jose's remote
 * key set (a `kid` it does not know refetches at most once a minute), the algorithm allow-list,
 * audience, expiry, not-before and age with 60 s of leeway, and each jti accepted once.
 * Gap filled here: jose does not do OIDC discovery, so the jwks_uri is read from
 * /.well-known/openid-configuration once per issuer (again after a failure).
 */
export function createVerifier(options: VerifierOptions): Verifier {
  const trusted = new Map(options.issuers.map((issuer) => [issuer, keySetOf(issuer, options)]))
  return {
    async verify(authorization) {
      const token = bearer(authorization)
      const { alg } = decode(() => decodeProtectedHeader(token))
      if (!ALGORITHMS.includes(String(alg)))
        throw unauthorized(`algorithm ${quote(alg)} is not accepted (${ALGORITHMS.join(', ')})`)
      const { iss } = decode(() => decodeJwt(token))
      const keys = typeof iss === 'string' ? trusted.get(iss) : undefined
      if (!keys) throw unauthorized(`issuer ${quote(iss)} is not trusted`)
      const claims = await verifySigned(token, await keys(), iss!, options)
      if (typeof claims.jti !== 'string' || claims.jti === '')
        throw unauthorized('the token has no jti claim, so a replay could not be told apart')
      const fresh = await options.claimJti(iss!, claims.jti, new Date(claims.exp! * 1000))
      if (!fresh) throw unauthorized('the token was already used (its jti was seen before)')
      return claims
    }
  }
}

async function verifySigned(
  token: string,
  keys: RemoteJWKSet,
  issuer: string,
  options: VerifierOptions
): Promise<Claims> {
  try {
    const { payload } = await jwtVerify(token, keys, {
      issuer,
      audience: options.audience,
      algorithms: ALGORITHMS,
      clockTolerance: LEEWAY_S,
      maxTokenAge: MAX_AGE,
      requiredClaims: ['exp', 'iat'],
      currentDate: new Date(options.now())
    })
    return payload
  } catch (error) {
    throw describeJoseError(error, options.audience)
  }
}

function describeJoseError(error: unknown, audience: string): BrokerError {
  if (error instanceof BrokerError) return error
  // jose reports a token older than maxTokenAge as expired too, naming the iat claim.
  if (error instanceof errors.JWTExpired && error.claim !== 'iat')
    return unauthorized('the token has expired')
  if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) {
    const reasons: Record<string, string> = {
      aud: `the token's audience does not include ${quote(audience)}`,
      nbf: 'the token is not valid yet (nbf)',
      iat: 'the token was issued more than 10 minutes ago, or in the future (iat)',
      iss: "the token's issuer does not match",
      exp: 'the token has no valid expiry (exp)'
    }
    return unauthorized(reasons[error.claim] ?? `claim ${quote(error.claim)} is not valid`)
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return unauthorized('the signature does not verify')
  if (error instanceof errors.JWKSNoMatchingKey)
    return unauthorized("no key of the issuer matches the token's kid")
  if (error instanceof errors.JOSEAlgNotAllowed)
    return unauthorized('the algorithm is not accepted')
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid)
    return keysUnavailable()
  if (error instanceof errors.JOSEError) return unauthorized('the token is not valid')
  // A failed fetch of the issuer's keys: fail closed, and say it is ours to retry.
  return keysUnavailable()
}

/** The issuer's key set, found through its discovery document once. */
function keySetOf(issuer: string, options: VerifierOptions): () => Promise<RemoteJWKSet> {
  let found: Promise<RemoteJWKSet> | undefined
  return () => {
    found ??= discover(issuer, options).catch((error: unknown) => {
      found = undefined
      throw error
    })
    return found
  }
}

async function discover(issuer: string, options: VerifierOptions): Promise<RemoteJWKSet> {
  const fetch = options.fetchFor(issuer)
  let document: { issuer?: unknown; jwks_uri?: unknown }
  try {
    const reply = await fetch(`${trimTrailingSlashes(issuer)}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(5000),
      redirect: 'error'
    })
    if (!reply.ok) throw new Error(`HTTP ${reply.status}`)
    document = (await reply.json()) as typeof document
  } catch {
    throw keysUnavailable()
  }
  // The document must speak for the issuer we trust, and name its keys over the same scheme.
  if (document.issuer !== issuer || typeof document.jwks_uri !== 'string') throw keysUnavailable()
  const uri = new URL(document.jwks_uri)
  if (uri.protocol !== new URL(issuer).protocol) throw keysUnavailable()
  const keysFetch = options.fetchFor(uri.href)
  return createRemoteJWKSet(uri, {
    cooldownDuration: 60_000,
    timeoutDuration: 5000,
    [customFetch]: async (url, init) => {
      options.onKeysFetched?.(issuer)
      return keysFetch(url, init)
    }
  })
}

function bearer(authorization: string | undefined): string {
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '')
  if (!match) throw unauthorized('no bearer token: send Authorization: Bearer <OIDC token>')
  return match[1]!
}

function decode<T>(read: () => T): T {
  try {
    return read()
  } catch {
    throw unauthorized('the bearer token is not a JWT')
  }
}

const quote = (value: unknown) => `'${neutralize(String(value), 200)}'`
const unauthorized = (reason: string) => new BrokerError(401, reason)
const keysUnavailable = () =>
  new BrokerError(503, "the issuer's signing keys could not be fetched; nothing was minted")
