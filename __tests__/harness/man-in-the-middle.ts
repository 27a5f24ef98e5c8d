import { createServer, request, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** The fake's reply as the man in the middle received it, and may hand on changed. */
export interface Reply {
  status: number
  headers: Record<string, string>
  body: string
}

export interface Intercept {
  method?: string
  /** Matched against the request's path (no query). */
  path?: string | RegExp
  /** How many matching requests this applies to; default 1. */
  times?: number
  /** Hand on another reply: the fake has already acted on the request. */
  rewrite?: (reply: Reply) => Partial<Reply>
  /**
   * Lose the reply after the fake has acted: 'reset' closes the connection, 'hang' never answers
   * (the client's own timeout ends it).
   */
  drop?: 'reset' | 'hang'
}

export interface ManInTheMiddle {
  url: string
  intercept(rule: Intercept): void
  /** Every request that passed, as 'METHOD /path', with what happened to its reply. */
  seen: { request: string; fate: 'passed' | 'rewritten' | 'reset' | 'hang' }[]
  close(): Promise<void>
}

function forward(
  upstream: URL,
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer
) {
  return new Promise<Reply>((resolve, reject) => {
    const outgoing = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method,
        path,
        headers: { ...headers, host: upstream.host }
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const copied: Record<string, string> = {}
          for (const [name, value] of Object.entries(res.headers)) {
            if (
              value !== undefined &&
              !['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)
            )
              copied[name] = Array.isArray(value) ? value.join(', ') : value
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: copied,
            body: Buffer.concat(chunks).toString('utf8')
          })
        })
        res.on('error', reject)
      }
    )
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}

/**
 * A small HTTP man in the middle on 127.0.0.1, in front of the fake GitHub API: it forwards every
 * request, and for the intercepted ones rewrites the fake's reply or loses it after the fake has
 * acted (a lost reply to a request that was carried out, as an unlucky network does).
 */
export async function startManInTheMiddle(upstreamUrl: string): Promise<ManInTheMiddle> {
  const upstream = new URL(upstreamUrl)
  const rules: (Intercept & { remaining: number })[] = []
  const sockets = new Set<Socket>()
  const seen: ManInTheMiddle['seen'] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const method = (req.method ?? 'GET').toUpperCase()
      const target = req.url ?? '/'
      const path = new URL(target, 'http://mitm').pathname
      const rule = rules.find(
        (r) =>
          r.remaining > 0 &&
          (r.method === undefined || r.method.toUpperCase() === method) &&
          (r.path === undefined ||
            (typeof r.path === 'string' ? r.path === path : r.path.test(path)))
      )
      if (rule) rule.remaining -= 1
      forward(upstream, method, target, req.headers, Buffer.concat(chunks)).then(
        (reply) => {
          const what = `${method} ${path}`
          if (rule?.drop) {
            seen.push({ request: what, fate: rule.drop })
            if (rule.drop === 'reset') req.socket.destroy()
            return
          }
          const changed = rule?.rewrite ? { ...reply, ...rule.rewrite(reply) } : reply
          seen.push({ request: what, fate: rule?.rewrite ? 'rewritten' : 'passed' })
          res.writeHead(changed.status, changed.headers)
          res.end(changed.body)
        },
        () => req.socket.destroy()
      )
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname.replace(/\/$/, '')}`,
    intercept: (rule) => void rules.push({ ...rule, remaining: rule.times ?? 1 }),
    seen,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}
