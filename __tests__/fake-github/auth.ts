/** Authenticates a request the way its route needs: an App JWT or an installation token. */
import type { KeyObject } from 'node:crypto'
import { HttpError, type Route, type RouteContext } from './http.js'
import { checkAppJwt, JWT_MESSAGES } from './jwt.js'
import type { State } from './state.js'
import type { AppIdentity } from './types.js'

export function credentialOf(header: string | undefined): string | undefined {
  const match = /^(?:bearer|token)\s+(\S+)$/i.exec(header ?? '')
  return match?.[1]
}

export function authKind(header: string | undefined): 'jwt' | 'token' | 'none' {
  const credential = credentialOf(header)
  if (credential === undefined) return 'none'
  // A stateless installation token is JWT-shaped too (ghs_APPID_JWT): the prefix tells them apart.
  if (credential.startsWith('ghs_')) return 'token'
  return credential.split('.').length === 3 ? 'jwt' : 'token'
}

export interface AuthOptions {
  state: State
  app: AppIdentity
  publicKey: KeyObject
}

/** Throws GitHub's 401 when the credential does not fit the route; returns the token for token routes. */
export function authenticate(
  route: Route,
  header: string | undefined,
  options: AuthOptions
): RouteContext['token'] {
  const credential = credentialOf(header)
  if (route.auth === 'jwt') {
    if (credential === undefined || authKind(header) !== 'jwt')
      throw new HttpError(401, JWT_MESSAGES.undecodable)
    const nowSeconds = Math.floor(options.state.now() / 1000)
    const problem = checkAppJwt(credential, {
      ...options.app,
      appId: options.app.id,
      publicKey: options.publicKey,
      nowSeconds
    })
    if (problem) throw new HttpError(401, problem)
    return undefined
  }
  if (credential === undefined) throw new HttpError(401, 'Requires authentication')
  const token = options.state.tokens.get(credential)
  const installation = options.state.installations.find((i) => i.id === token?.installationId)
  const usable =
    token && installation && !token.revoked && token.expiresAt.getTime() > options.state.now()
  if (!usable) throw new HttpError(401, 'Bad credentials')
  return { ...token, installation, record: token }
}
