import { randomBytes, randomInt } from 'node:crypto'

const ALPHABETS = {
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
} as const

/** Random credential text in the alphabet GitHub uses for that kind of token. */
export function randomToken(length: number, alphabet: keyof typeof ALPHABETS): string {
  const chars = ALPHABETS[alphabet]
  return Array.from({ length }, () => chars[randomInt(chars.length)]).join('')
}

/** How GitHub writes an installation token: see installationToken. */
export type TokenFormat = 'stateless' | 'classic'

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url')

/**
 * An installation token as GitHub issues it. 'classic': `ghs_` and 36 letters and digits (40 in
 * all). 'stateless' (GitHub's format since April 2026): `ghs_APPID_JWT`, a JWT signed by GitHub,
 * about 520 characters with dots, dashes and underscores. Clients must treat both as opaque; here
 * the "signature" is random bytes, as only GitHub could check it.
 * https://github.blog/changelog/2026-05-15-github-app-installation-tokens-per-request-override-header/
 */
export function installationToken(
  format: TokenFormat,
  claims: { appId: number; installationId: number; expiresAt: Date }
): string {
  if (format === 'classic') return `ghs_${randomToken(36, 'alnum')}`
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))
  const payload = base64url(
    JSON.stringify({
      iss: 'github.com',
      app: claims.appId,
      inst: claims.installationId,
      exp: Math.floor(claims.expiresAt.getTime() / 1000),
      jti: randomBytes(9).toString('base64url')
    })
  )
  return `ghs_${claims.appId}_${header}.${payload}.${base64url(randomBytes(256))}`
}
