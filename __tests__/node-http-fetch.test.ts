import { createServer, type Server } from 'node:http'
import { nodeHttpFetch } from '../src/github/node-http-fetch.js'

/** The transport behaves like fetch where @octokit/request relies on it. */
let server: Server
let base: string
const seen: string[] = []
const auths: string[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    if (req.url === '/repos/old/name/installation')
      return res.writeHead(301, { location: '/repositories/7/installation' }).end()
    if (req.url === '/elsewhere') {
      return res
        .writeHead(302, { location: base.replace('127.0.0.1', 'localhost') + '/landed' })
        .end()
    }
    if (req.url === '/landed') auths.push(req.headers.authorization ?? 'none')
    if (req.url === '/keep') return res.writeHead(307, { location: `${base}/kept` }).end()
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      res.setHeader('content-type', 'application/json; charset=utf-8')
      res.setHeader('x-two', ['a', 'b'])
      res
        .writeHead(req.url === '/missing' ? 404 : 200, 'Custom')
        .end(JSON.stringify({ url: req.url, body }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(async () => new Promise((resolve) => server.close(resolve)))

test('status, headers (iterable and get) and body', async () => {
  const response = await nodeHttpFetch(`${base}/missing`, {
    method: 'POST',
    body: '{"a":1}',
    headers: { 'content-type': 'application/json' }
  })
  expect(response.status).toBe(404)
  expect(response.statusText).toBe('Custom')
  expect(response.headers.get('x-two')).toBe('a, b')
  expect([...response.headers].some(([name]) => name === 'content-type')).toBe(true)
  expect(await response.json()).toEqual({ url: '/missing', body: '{"a":1}' })
})

test('follows a 301 with GET, as fetch does (a renamed repository)', async () => {
  const response = await nodeHttpFetch(`${base}/repos/old/name/installation`)
  expect(response.status).toBe(200)
  expect(JSON.parse(await response.text())).toMatchObject({ url: '/repositories/7/installation' })
})

test('a 307 keeps the method and the body', async () => {
  const response = await nodeHttpFetch(`${base}/keep`, { method: 'POST', body: 'x' })
  expect(await response.json()).toEqual({ url: '/kept', body: 'x' })
  expect(seen).toContain('POST /kept')
})

test('a refused connection is a network error, as fetch reports it', async () => {
  await expect(nodeHttpFetch('http://127.0.0.1:1/')).rejects.toThrow('fetch failed')
})

test('credentials are not carried to another origin', async () => {
  await nodeHttpFetch(`${base}/elsewhere`, { headers: { authorization: 'token ghs_secret' } })
  expect(auths).toEqual(['none'])
})
