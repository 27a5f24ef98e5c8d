/** A stateful fake of the GitHub REST API on 127.0.0.1, for end-to-end tests. */
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { authenticate, authKind } from './auth.js'
import { faultError, Faults } from './faults.js'
import { Hooks } from './hooks.js'
import { errorBody, HttpError, notFound, type Reply } from './http.js'
import { appKeyPair } from './keys.js'
import { matchRoute } from './router.js'
import { State } from './state.js'
import type { AppIdentity, FakeGitHub, RecordedRequest } from './types.js'

export type * from './types.js'

interface Served {
  state: State
  faults: Faults
  hooks: Hooks
  app: AppIdentity
  prefix: string
  baseUrl: () => string
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new HttpError(400, 'Problems parsing JSON')
  }
}

/** What a test may read back of the request's headers: all but the credential. */
function headersOf(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(req.headers)
      .filter(([name]) => name !== 'authorization')
      .map(([name, value]) => [name, [value ?? ''].flat().join(', ')])
  )
}

/** The response as it goes on the wire, prepared before the latency wait. */
function prepare(
  s: Served,
  reply: Reply
): { status: number; headers: Record<string, string>; body?: string } {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    date: new Date(s.state.now()).toUTCString(),
    'x-github-request-id': randomUUID().toUpperCase(),
    'x-github-api-version-selected': '2022-11-28',
    ...reply.headers
  }
  const empty = reply.status === 204 || reply.body === undefined
  return { status: reply.status, headers, body: empty ? undefined : JSON.stringify(reply.body) }
}

/** Routes, authenticates and answers one request (without faults or latency). */
function answer(s: Served, record: RecordedRequest, authorization: string | undefined): Reply {
  const matched = matchRoute(record.method, record.path)
  if (!matched) throw notFound()
  record.operation = matched.route.template
  const token = authenticate(matched.route, authorization, {
    state: s.state,
    app: s.app,
    publicKey: appKeyPair().publicKey
  })
  const { method, path, query, headers, body } = record
  const ctx = {
    method,
    path,
    query,
    headers,
    body,
    params: matched.params,
    state: s.state,
    app: s.app,
    baseUrl: s.baseUrl(),
    token
  }
  return matched.route.handle(ctx)
}

function toReply(error: unknown): Reply {
  if (!(error instanceof HttpError)) {
    const message = error instanceof Error ? error.message : String(error)
    return { status: 500, body: errorBody(500, `fake GitHub bug: ${message}`) }
  }
  return {
    status: error.status,
    headers: error.headers,
    body: errorBody(error.status, error.message, error.extra)
  }
}

async function handle(s: Served, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const arrived = performance.now()
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const prefixed = url.pathname.startsWith(s.prefix)
  const path = prefixed ? url.pathname.slice(s.prefix.length) || '/' : url.pathname
  const record: RecordedRequest = {
    method: (req.method ?? 'GET').toUpperCase(),
    path,
    query: Object.fromEntries(url.searchParams),
    auth: authKind(req.headers.authorization),
    headers: headersOf(req),
    body: undefined,
    status: 0,
    responseBody: undefined
  }
  s.state.requests.push(record)
  let reply: Reply
  let delay = s.state.latencyMs
  let hold: Promise<unknown> | undefined
  try {
    record.body = await readBody(req)
    s.hooks.run(record)
    const fault = s.faults.take(record.method, path)
    if (fault && 'reset' in fault) return void req.socket.destroy()
    if (fault && 'hang' in fault) return
    if (fault && 'latencyMs' in fault) delay += fault.latencyMs
    if (fault && 'holdReplyUntil' in fault) hold = fault.holdReplyUntil
    const injected = fault ? faultError(fault) : undefined
    if (injected) throw injected
    if (!prefixed) throw notFound()
    reply = answer(s, record, req.headers.authorization)
  } catch (error) {
    reply = toReply(error)
  }
  record.status = reply.status
  record.responseBody = reply.body
  const response = prepare(s, reply)
  // Latency is counted from the request's arrival, as GitHub's response time includes its own
  // work: the fake's processing (JWT verification, minting) happens inside the wait, not on top.
  const wait = delay - (performance.now() - arrived)
  if (wait > 0) await sleep(wait)
  await hold?.catch(() => {})
  if (res.destroyed) return
  res.writeHead(response.status, response.headers)
  res.end(response.body)
}

export async function startFakeGitHub(
  options: {
    pathPrefix?: string
    /** The clock GitHub's time is reckoned from, before clockSkewMs: a test's fake one. */
    now?: () => number
  } = {}
): Promise<FakeGitHub> {
  const state = new State()
  if (options.now) state.runnerNow = options.now
  const faults = new Faults()
  const hooks = new Hooks()
  const app: AppIdentity = {
    id: 424242,
    clientId: 'Iv23liFakeMintToken01',
    slug: 'fake-mint-token',
    privateKey: appKeyPair().privateKeyPem
  }
  const prefix = (options.pathPrefix ?? '').replace(/\/+$/, '')
  let url = ''
  const served: Served = { state, faults, hooks, app, prefix, baseUrl: () => url }
  const server = createServer((req, res) => void handle(served, req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`
  return {
    url,
    app,
    requests: state.requests,
    tokens: state.tokens,
    runners: state.runners,
    get clockSkewMs() {
      return state.clockSkewMs
    },
    set clockSkewMs(value: number) {
      state.clockSkewMs = value
    },
    get latencyMs() {
      return state.latencyMs
    },
    set latencyMs(value: number) {
      state.latencyMs = value
    },
    get tokenLifetimeMs() {
      return state.tokenLifetimeMs
    },
    set tokenLifetimeMs(value: number) {
      state.tokenLifetimeMs = value
    },
    get knowsFormatHeader() {
      return state.knowsFormatHeader
    },
    set knowsFormatHeader(value: boolean) {
      state.knowsFormatHeader = value
    },
    get knowsEnterpriseEndpoint() {
      return state.knowsEnterpriseEndpoint
    },
    set knowsEnterpriseEndpoint(value: boolean) {
      state.knowsEnterpriseEndpoint = value
    },
    addInstallation: (i) => state.addInstallation(i),
    addRunnerGroup: (org, g) => state.addRunnerGroup(org, g),
    inject: (rule) => faults.add(rule),
    addRunner: (r) => state.seedRunner(r),
    setRunner: (id, patch) => Object.assign(state.runner(id), patch),
    removeRunner: (id) => state.removeRunner(id),
    onRequest: (hook) => hooks.add(hook),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        // Hung and keep-alive sockets would keep jest alive.
        server.closeAllConnections()
      })
  }
}
