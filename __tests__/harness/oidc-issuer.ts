import { createHmac, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'

/**
 * A local OIDC issuer, as GitHub Actions' (token.actions.githubusercontent.com) looks to a
 * relying party: a discovery document, a JWKS (an RS256 and an ES256 key), and tokens with the
 * Actions claim set, signed on demand. It also forges what attackers send (alg none, HS256 with
 * the public key, a tampered payload, an unknown kid), and can go down.
 */
export interface OidcIssuer {
  url: string
  /** A signed token: the Actions claims for octo-org/app on main, overridden by `claims`. */
  sign(
    claims?: Record<string, unknown>,
    options?: { alg?: 'RS256' | 'ES256'; kid?: string; audience?: string }
  ): Promise<string>
  forge: {
    algNone(claims?: Record<string, unknown>): string
    hs256WithPublicKey(claims?: Record<string, unknown>): Promise<string>
    tampered(claims?: Record<string, unknown>): Promise<string>
    unknownKid(claims?: Record<string, unknown>): Promise<string>
  }
  /** How often the JWKS was fetched. */
  jwksFetches: number
  /** While true, discovery and JWKS answer 503. */
  down: boolean
  /**
   * The runner's side: ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN for a step, as a job with
   * `permissions: id-token: write` gets them. core.getIDToken appends `&audience=…`; the token
   * it gets carries `actionsClaims` (the Actions claims by default) for that audience.
   */
  actionsEnv: { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string }
  actionsClaims: Record<string, unknown>
  /** The ID tokens handed out through actionsEnv, for leak checks. */
  issued: string[]
  /** Seconds since the epoch, as the tokens' iat/nbf/exp are computed (default: real time). */
  clock: () => number
  close(): Promise<void>
}

interface KeyPair {
  kid: string
  alg: 'RS256' | 'ES256'
  privateKey: CryptoKey
  publicKey: CryptoKey
  jwk: JWK
}

async function keyPair(alg: 'RS256' | 'ES256', kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }
  return { kid, alg, privateKey, publicKey, jwk }
}

export async function startOidcIssuer(options: { audience: string }): Promise<OidcIssuer> {
  const keys = [await keyPair('RS256', 'rsa-1'), await keyPair('ES256', 'ec-1')]
  const stranger = await keyPair('RS256', 'rsa-unknown')
  let url = ''
  const issuer: OidcIssuer = {
    url: '',
    jwksFetches: 0,
    down: false,
    actionsEnv: { ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' },
    actionsClaims: {},
    issued: [],
    clock: () => Math.floor(Date.now() / 1000),
    sign: (claims = {}, opts = {}) => {
      const key = keys.find((k) => k.alg === (opts.alg ?? 'RS256'))!
      const audience = opts.audience ?? options.audience
      return signWith(key, { ...claimSet(issuer, audience), ...claims }, opts.kid)
    },
    forge: {
      algNone: (claims = {}) =>
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claimSet(issuer, options.audience), ...claims })}.`,
      hs256WithPublicKey: async (claims = {}) => {
        const pem = await exportSPKI(keys[0]!.publicKey)
        const head = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'rsa-1' })}.${b64({ ...claimSet(issuer, options.audience), ...claims })}`
        return `${head}.${createHmac('sha256', pem).update(head).digest('base64url')}`
      },
      tampered: async (claims = {}) => {
        const token = await issuer.sign()
        const [head, , signature] = token.split('.')
        return `${head}.${b64({ ...claimSet(issuer, options.audience), ...claims })}.${signature}`
      },
      unknownKid: (claims = {}) =>
        signWith(stranger, { ...claimSet(issuer, options.audience), ...claims })
    },
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
  const server = createServer((req, res) => {
    if (issuer.down) {
      res.writeHead(503)
      return res.end()
    }
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.url === '/.well-known/openid-configuration')
      return json({
        issuer: url,
        jwks_uri: `${url}/.well-known/jwks`,
        subject_types_supported: ['public', 'pairwise'],
        response_types_supported: ['id_token'],
        id_token_signing_alg_values_supported: ['RS256']
      })
    const asked = new URL(req.url ?? '/', url)
    if (asked.pathname === '/_apis/idtoken') {
      const bearer = `Bearer ${issuer.actionsEnv.ACTIONS_ID_TOKEN_REQUEST_TOKEN}`
      if (req.headers.authorization !== bearer) {
        res.writeHead(401)
        return res.end()
      }
      const audience = asked.searchParams.get('audience') ?? undefined
      return void issuer.sign(issuer.actionsClaims, { audience }).then((value) => {
        issuer.issued.push(value)
        json({ count: 1, value })
      })
    }
    if (req.url === '/.well-known/jwks') {
      issuer.jwksFetches++
      return json({ keys: keys.map((k) => k.jwk) })
    }
    res.writeHead(404)
    res.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  issuer.url = url
  issuer.actionsEnv = {
    ACTIONS_ID_TOKEN_REQUEST_URL: `${url}/_apis/idtoken?api-version=2.0`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: `request-${randomUUID()}`
  }
  return issuer
}

/** GitHub Actions' claims for a push to main of octo-org/app, fresh now. */
function claimSet(issuer: OidcIssuer, audience: string): Record<string, unknown> {
  const now = issuer.clock()
  return {
    jti: randomUUID(),
    sub: 'repo:octo-org/app:ref:refs/heads/main',
    aud: audience,
    ref: 'refs/heads/main',
    sha: 'a'.repeat(40),
    repository: 'octo-org/app',
    repository_owner: 'octo-org',
    repository_owner_id: '1000',
    repository_id: '2000',
    run_id: '4242',
    run_number: '7',
    run_attempt: '1',
    actor: 'octocat',
    actor_id: '583231',
    workflow: 'CI',
    event_name: 'push',
    ref_type: 'branch',
    job_workflow_ref: 'octo-org/app/.github/workflows/ci.yml@refs/heads/main',
    runner_environment: 'github-hosted',
    iss: issuer.url,
    nbf: now - 5,
    iat: now - 5,
    exp: now + 300
  }
}

function signWith(key: KeyPair, claims: Record<string, unknown>, kid = key.kid): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid, typ: 'JWT' })
    .sign(key.privateKey)
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
