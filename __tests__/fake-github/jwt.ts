import { verify, type KeyObject } from 'node:crypto'

/** GitHub's own 401 messages for App JWTs (https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app). */
export const JWT_MESSAGES = {
  undecodable: 'A JSON web token could not be decoded',
  expired:
    "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
  tooFar: "'Expiration time' claim ('exp') is too far in the future",
  issuedLater:
    "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
  badIssuer: "'Issuer' claim ('iss') must be an Integer"
} as const

export interface JwtCheck {
  publicKey: KeyObject
  appId: number
  clientId: string
  nowSeconds: number
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** Returns GitHub's error message for a rejected JWT, or undefined when it is accepted. */
export function checkAppJwt(jwt: string, check: JwtCheck): string | undefined {
  const [header, payload, signature, ...rest] = jwt.split('.')
  if (header === undefined || payload === undefined || signature === undefined || rest.length > 0) {
    return JWT_MESSAGES.undecodable
  }
  const head = decodePart(header)
  const claims = decodePart(payload)
  const signed = Buffer.from(`${header}.${payload}`)
  const valid =
    head?.alg === 'RS256' &&
    claims !== undefined &&
    verify('sha256', signed, check.publicKey, Buffer.from(signature, 'base64url'))
  if (!valid || !claims) return JWT_MESSAGES.undecodable
  return checkClaims(claims, check)
}

function checkClaims(claims: Record<string, unknown>, check: JwtCheck): string | undefined {
  const { iss, iat, exp } = claims
  const issuerOk = String(iss) === String(check.appId) || iss === check.clientId
  if (!issuerOk) return JWT_MESSAGES.badIssuer
  if (typeof exp !== 'number' || exp <= check.nowSeconds) return JWT_MESSAGES.expired
  if (exp > check.nowSeconds + 600) return JWT_MESSAGES.tooFar
  if (typeof iat !== 'number' || iat > check.nowSeconds + 60) return JWT_MESSAGES.issuedLater
  if (exp - iat > 600) return JWT_MESSAGES.tooFar
  return undefined
}
