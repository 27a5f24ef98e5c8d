import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse
} from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { InputError } from '../lib/input-error.js'
import type { Log } from '../lib/log.js'
import { neutralize } from '../lib/text/neutralize.js'
import { describeRequestError } from '../lib/transport/describe-request-error.js'
import { BrokerError } from './broker-error.js'
import { DatabaseError } from './store/store.js'
import type { Claims, Verifier } from './oidc.js'
import type { Body } from './policy.js'
import { auditRow, mintToken, type RouteContext, type RouteResult } from './routes.js'
import {
  deleteCallerRunner,
  listCallerRunners,
  registerJitRunner,
  registrationToken
} from './runner-routes.js'

/** Bodies are a few hundred bytes; anything near this is not a caller of ours. */
export const MAX_BODY_BYTES = 64 * 1024

type Route = (ctx: RouteContext, claims: Claims, body: Body, id?: string) => Promise<RouteResult>

/** The API: method and path → route; each needs a verified caller. */
const ROUTES: { method: string; path: RegExp; name: string; run: Route }[] = [
  { method: 'POST', path: /^\/v1\/token$/, name: '/v1/token', run: mintToken },
  { method: 'POST', path: /^\/v1\/runners\/jit$/, name: '/v1/runners/jit', run: registerJitRunner },
  {
    method: 'POST',
    path: /^\/v1\/runners\/registration-token$/,
    name: '/v1/runners/registration-token',
    run: registrationToken
  },
  { method: 'GET', path: /^\/v1\/runners$/, name: '/v1/runners', run: listCallerRunners },
  {
    method: 'DELETE',
    path: /^\/v1\/runners\/(\d{1,15})$/,
    name: '/v1/runners/{id}',
    run: deleteCallerRunner
  }
]

export interface BrokerServerOptions {
  /** The routes' context for one request: the library's deps with a budget of its own. */
  contextFor: () => RouteContext
  verifier: Verifier
  log: Log
  now: () => number
  tls?: { cert: string; key: string }
}

/**
 * The broker's HTTP(S) server: health and metrics, then every /v1 request verified, routed,
 * answered in JSON and written to the audit trail, whatever its outcome. One log line per
 * request, with the reason of a refusal and never a token.
 */
export function createBrokerServer(options: BrokerServerOptions) {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void handle(options, req, res).catch((error: unknown) => {
      options.log.warning(`Unexpected failure answering a request: ${describeRequestError(error)}`)
      if (!res.headersSent) send(res, 500, { error: 'internal error' })
    })
  }
  return options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler)
    : createHttpServer(handler)
}

async function handle(options: BrokerServerOptions, req: IncomingMessage, res: ServerResponse) {
  const started = options.now()
  const url = new URL(req.url ?? '/', 'http://broker')
  const ctx = options.contextFor()
  if (req.method === 'GET' && url.pathname === '/healthz') return send(res, 200, { status: 'ok' })
  if (req.method === 'GET' && url.pathname === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
    return res.end(ctx.metrics.render())
  }
  const known = ROUTES.filter((route) => route.path.test(url.pathname))
  const route = known.find((r) => r.method === req.method)
  const name = route?.name ?? (known[0]?.name || 'unknown')
  let claims: Claims | undefined
  let outcome: { status: number; body: unknown; reason?: string; policy?: string }
  try {
    if (!route) {
      req.resume()
      throw known.length > 0
        ? new BrokerError(405, `${neutralize(req.method, 20)} is not allowed here`)
        : new BrokerError(404, 'no such route')
    }
    const raw = await readBody(req)
    claims = await options.verifier.verify(req.headers.authorization)
    const body = parseBody(raw, req.method !== 'GET' && req.method !== 'DELETE')
    const id = route.path.exec(url.pathname)?.[1]
    const result = await route.run(ctx, claims, body, id)
    if (result.audit !== 'written')
      await ctx.store.audit(
        auditRow(claims, name, result.status, 'allowed', result.audit, options.now())
      )
    outcome = { status: result.status, body: result.body }
  } catch (error) {
    const { status, reason } = refusalOf(error)
    outcome = { status, body: { error: reason }, reason }
    if (route) await recordRefusal(ctx, claims, name, status, reason, options)
  }
  ctx.metrics.request(name, outcome.status)
  const who = typeof claims?.sub === 'string' ? ` sub=${neutralize(claims.sub, 200)}` : ''
  const why = outcome.reason ? `: ${outcome.reason}` : ''
  options.log.info(
    `${neutralize(req.method, 10)} ${name} ${outcome.status}${who} ${options.now() - started} ms${why}`
  )
  send(res, outcome.status, outcome.body)
}

/** A refusal's row; if even that can't be stored, the log line is what is left. */
async function recordRefusal(
  ctx: RouteContext,
  claims: Claims | undefined,
  route: string,
  status: number,
  reason: string,
  options: Pick<BrokerServerOptions, 'log' | 'now'>
) {
  const decision = status >= 500 ? 'failed' : 'refused'
  try {
    await ctx.store.audit(auditRow(claims, route, status, decision, { reason }, options.now()))
  } catch (error) {
    options.log.warning(`Could not write the audit row (${describeRequestError(error)}).`)
  }
}

/**
 * The status and reason a caller gets: the broker's own refusals as they are; a request GitHub
 * refused because of the grant (the installation lacks a permission) is 403; the database is
 * 503; anything else from GitHub or the network is 502, described without the reply's secrets.
 */
function refusalOf(error: unknown): { status: number; reason: string } {
  if (error instanceof BrokerError) return { status: error.status, reason: error.message }
  if (error instanceof DatabaseError)
    return { status: 503, reason: 'the database is unavailable; nothing was minted' }
  if (error instanceof InputError) return { status: 403, reason: error.message }
  return { status: 502, reason: `GitHub failed: ${describeRequestError(error)}` }
}

function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > MAX_BODY_BYTES) {
    req.resume()
    return Promise.reject(tooLarge())
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data')
        req.resume()
        reject(tooLarge())
      } else chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

const tooLarge = () => new BrokerError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`)

function parseBody(raw: string, expected: boolean): Body {
  if (!expected || raw.trim() === '') {
    if (expected) throw new BrokerError(400, 'the body is empty; send a JSON object')
    return {}
  }
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    throw new BrokerError(400, 'the body is not JSON')
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new BrokerError(400, 'the body is not a JSON object')
  return value as Body
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(`${JSON.stringify(body)}\n`)
}
