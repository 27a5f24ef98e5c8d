import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FakeGitHub } from '../fake-github/server.js'
import { createRepository, revParse, serverGitEnv } from './git-repository.js'

/** One request as the git server saw it. */
export interface GitRequest {
  method: string
  /** Path and query, e.g. '/octo-org/app.git/info/refs?service=git-upload-pack'. */
  url: string
  /** From the Basic credentials, when the request had any. */
  user?: string
  token?: string
  userAgent?: string
  status: number
}

export interface GitHttpServer {
  /** The origin, http://127.0.0.1:PORT. */
  url: string
  /** The one repository: octo-org/app.git, one commit on main. */
  repoUrl: string
  requests: GitRequest[]
  /** What a ref of the served repository points at, e.g. 'refs/heads/main'. */
  revParse(ref: string): string
  close(): Promise<void>
}

function basicCredentials(header: string | undefined): { user: string; token: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '')
  if (!match) return undefined
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  return { user: decoded.slice(0, colon), token: decoded.slice(colon + 1) }
}

/** Runs `git http-backend` as a CGI program for one request and collects its whole output. */
function runBackend(root: string, req: IncomingMessage, user: string): Promise<Buffer> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const env: Record<string, string> = {
    ...serverGitEnv(root),
    GIT_PROJECT_ROOT: join(root, 'repos'),
    GIT_HTTP_EXPORT_ALL: '1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    // An authenticated user is what lets http-backend serve git-receive-pack (push).
    REMOTE_USER: user,
    REMOTE_ADDR: '127.0.0.1'
  }
  const headers: Record<string, string> = {
    CONTENT_TYPE: 'content-type',
    CONTENT_LENGTH: 'content-length',
    HTTP_CONTENT_ENCODING: 'content-encoding',
    HTTP_GIT_PROTOCOL: 'git-protocol'
  }
  for (const [name, header] of Object.entries(headers)) {
    const value = req.headers[header]
    if (typeof value === 'string') env[name] = value
  }
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'ignore'] })
    const chunks: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
    child.stdin.on('error', () => undefined)
    child.on('error', reject)
    child.on('close', () => resolve(Buffer.concat(chunks)))
    req.pipe(child.stdin)
  })
}

/** A CGI response: header lines (a 'Status' line sets the status), an empty line, the body. */
function sendCgi(output: Buffer, res: ServerResponse): number {
  const ends = [output.indexOf('\r\n\r\n'), output.indexOf('\n\n')].filter((i) => i >= 0)
  const end = Math.min(...ends)
  if (ends.length === 0) return reply(res, 502, {}, 'http-backend wrote no CGI headers')
  let status = 200
  const headers: Record<string, string> = {}
  for (const line of output.subarray(0, end).toString('latin1').split(/\r?\n/)) {
    const colon = line.indexOf(':')
    const [name, value] = [line.slice(0, colon).trim(), line.slice(colon + 1).trim()]
    if (name.toLowerCase() === 'status') status = parseInt(value, 10)
    else headers[name] = value
  }
  const start = end + (output.subarray(end, end + 4).toString() === '\r\n\r\n' ? 4 : 2)
  return reply(res, status, headers, output.subarray(start))
}

function reply(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer | string
): number {
  res.writeHead(status, headers)
  res.end(body)
  return status
}

/**
 * A git smart-HTTP server on 127.0.0.1: a node server that runs `git http-backend` as CGI for
 * octo-org/app.git. It accepts only HTTP Basic credentials `x-access-token:<token>` with a token
 * `isValid` accepts at that moment; anything else is a 401 asking for Basic credentials, as
 * GitHub answers, which is what makes git ask its credential helpers.
 * https://git-scm.com/docs/git-http-backend
 */
export async function startGitHttpServer(options: {
  isValid: (token: string) => boolean
}): Promise<GitHttpServer> {
  const root = mkdtempSync(join(tmpdir(), 'mint-token-git-server-'))
  const repository = createRepository(root)
  const requests: GitRequest[] = []
  const server = createServer((req, res) => {
    const credentials = basicCredentials(req.headers.authorization)
    const request: GitRequest = { method: req.method ?? 'GET', url: req.url ?? '/', status: 0 }
    if (credentials) Object.assign(request, credentials)
    if (req.headers['user-agent']) request.userAgent = req.headers['user-agent']
    requests.push(request)
    if (credentials?.user !== 'x-access-token' || !options.isValid(credentials.token)) {
      const headers = { 'www-authenticate': 'Basic realm="GitHub"' }
      request.status = reply(res, 401, headers, 'Invalid username or token.\n')
      return void req.resume()
    }
    runBackend(root, req, credentials.user).then(
      (output) => void (request.status = sendCgi(output, res)),
      () => void (request.status = reply(res, 500, {}, 'could not run git http-backend'))
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    repoUrl: `${url}/octo-org/app.git`,
    requests,
    revParse: (ref) => revParse(repository, ref),
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      rmSync(root, { recursive: true, force: true })
    }
  }
}

/** Valid on the fake GitHub: a token it issued, neither revoked nor expired by the fake's clock. */
export function validOnFake(fake: FakeGitHub): (token: string) => boolean {
  return (token) => {
    const issued = fake.tokens.get(token)
    return !!issued && !issued.revoked && issued.expiresAt.getTime() > Date.now() + fake.clockSkewMs
  }
}
