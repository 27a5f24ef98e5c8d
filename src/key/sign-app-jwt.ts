import { sign, type KeyObject } from 'node:crypto'

export interface AppJwt {
  jwt: string
  /** ISO 8601, as @octokit/auth-app's `createJwt` contract expects. */
  expiresAt: string
}

/**
 * The App's JWT (RS256), signed with node:crypto straight from the parsed key.
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app
 *
 * Handed to @octokit/auth-app as its `createJwt` option instead of the PEM: its own signer goes
 * through WebCrypto, which costs a step ~8 ms of module loading and key import for one signature,
 * and would need the key exported back to a PEM string. `iat` is 60 s in the past, as GitHub
 * advises against clock drift; `exp` stays within GitHub's 10-minute limit counted from `iat`.
 */
export function signAppJwt(issuer: string, key: KeyObject, nowSeconds: number): AppJwt {
  const iat = Math.floor(nowSeconds) - 60
  const exp = iat + 600
  // A numeric App ID is an integer claim, as in GitHub's examples; a Client ID is a string.
  const iss = /^\d+$/.test(issuer) ? Number(issuer) : issuer
  const header = encode({ alg: 'RS256', typ: 'JWT' })
  const payload = encode({ iat, exp, iss })
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), key).toString('base64url')
  return { jwt: `${header}.${payload}.${signature}`, expiresAt: new Date(exp * 1000).toISOString() }
}

function encode(part: object): string {
  return Buffer.from(JSON.stringify(part)).toString('base64url')
}
