import { createRequire } from 'node:module'
import type { Agent, ClientRequest, IncomingMessage, RequestOptions } from 'node:http'

type Transport = { request: (url: URL, options: RequestOptions) => ClientRequest; agent: Agent }
const transports = new Map<string, Transport>()

/**
 * node:http or node:https, loaded when first needed (https brings tls along), with keep-alive so
 * the lookup and the mint share one connection and one TLS handshake.
 */
function transportFor(protocol: string): Transport {
  let transport = transports.get(protocol)
  if (!transport) {
    const module = createRequire(import.meta.url)(
      protocol === 'https:' ? 'node:https' : 'node:http'
    ) as typeof import('node:http')
    transport = { request: module.request, agent: new module.Agent({ keepAlive: true }) }
    transports.set(protocol, transport)
  }
  return transport
}

/**
 * The part of fetch that @octokit/request uses, over node:http. Node's global fetch loads its own
 * undici (and a wasm HTTP parser) on first use, about 25 ms of a step that makes one request.
 */
export async function nodeHttpFetch(url: string, init: RequestInit = {}): Promise<Response> {
  // Follow redirects as fetch does: GitHub answers 301/307 for a renamed repository or owner.
  for (let hops = 0; ; hops++) {
    const response = await send(url, init)
    const location = response.headers.get('location')
    if (![301, 302, 303, 307, 308].includes(response.status) || !location || hops === 5)
      return response
    const keepMethod = response.status === 307 || response.status === 308
    const next = new URL(location, url)
    init = keepMethod ? init : { ...init, method: 'GET', body: undefined }
    // Like fetch, never carry credentials to another origin.
    if (next.origin !== new URL(url).origin)
      init = { ...init, headers: withoutAuthorization(init.headers) }
    url = next.toString()
  }
}

function withoutAuthorization(headers: RequestInit['headers']): Record<string, string> {
  const entries = Object.entries((headers ?? {}) as Record<string, string>)
  return Object.fromEntries(entries.filter(([name]) => name.toLowerCase() !== 'authorization'))
}

function send(url: string, init: RequestInit): Promise<Response> {
  const target = new URL(url)
  const transport = transportFor(target.protocol)
  return new Promise((resolve, reject) => {
    const req = transport.request(target, {
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      agent: transport.agent,
      signal: init.signal ?? undefined
    })
    req.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })))
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })))
      res.on('end', () => resolve(toResponse(url, res, Buffer.concat(chunks))))
    })
    req.end(typeof init.body === 'string' ? init.body : undefined)
  })
}

function toResponse(url: string, res: IncomingMessage, body: Buffer): Response {
  const headers = new Map<string, string>()
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value)
  }
  const response = {
    url,
    status: res.statusCode ?? 0,
    statusText: res.statusMessage ?? '',
    ok: (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300,
    headers,
    text: () => Promise.resolve(body.toString('utf8')),
    json: () => Promise.resolve(JSON.parse(body.toString('utf8')) as unknown),
    arrayBuffer: () =>
      Promise.resolve(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength))
  }
  return response as unknown as Response
}
