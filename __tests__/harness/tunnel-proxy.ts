import { createServer } from 'node:http'
import { connect } from 'node:net'

export interface TunnelProxy {
  /** http://127.0.0.1:PORT, for http_proxy / https_proxy. */
  url: string
  /** The target of each CONNECT, as 'host:port'. */
  tunnels: string[]
  close(): Promise<void>
}

/**
 * An HTTP proxy that tunnels every CONNECT to one local port, whatever host was asked for: a step
 * can then call a made-up host name (api.ghes.test) and reach the fake, with nothing resolved and
 * nothing leaving the machine. Loopback addresses always bypass proxies, hence the made-up names.
 */
export async function startTunnelProxy(targetPort: number): Promise<TunnelProxy> {
  const tunnels: string[] = []
  const proxy = createServer((_req, res) => res.writeHead(405).end())
  proxy.on('connect', (req, socket) => {
    tunnels.push(req.url ?? '')
    const upstream = connect(targetPort, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.pipe(socket).pipe(upstream)
    })
    upstream.on('error', () => socket.destroy())
    socket.on('error', () => upstream.destroy())
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`,
    tunnels,
    close: () => new Promise((resolve) => proxy.close(() => resolve()))
  }
}
