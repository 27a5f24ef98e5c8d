import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { startManInTheMiddle, type ManInTheMiddle } from '../../harness/man-in-the-middle.js'
import { newJob, runStep, type Job, expectRefused } from '../../harness/run-action.js'

/**
 * Issue 8, items 5 (github-api-url), 6 (keys) and 8 (validation gaps), against the bundled dist/:
 * each refusal is one exact ::error:: line, exit code 1, no output and no state, and where it
 * must come before any request, the fake saw none.
 */
let fake: FakeGitHub
let job: Job
/** Outside the workspace, which the leak check reads file by file (a FIFO would block it). */
let scratch: string

beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositorySelection: 'all',
    repositories: ['app'],
    permissions: { contents: 'read', organization_self_hosted_runners: 'write' }
  })
  job = newJob(fake.url)
  scratch = mkdtempSync(join(tmpdir(), 'mint-token-hardening-'))
})
afterEach(async () => fake.close())

const key = () => ({ 'app-id': String(fake.app.id), 'private-key': fake.app.privateKey })
const keyFile = (path: string) => ({ 'app-id': String(fake.app.id), 'private-key-file': path })
const jit = (more: Record<string, string> = {}) => ({
  ...key(),
  owner: 'octo-org',
  'token-type': 'runner-jit',
  'runner-labels': 'self-hosted',
  ...more
})
/**
 * A step that blocks on a FIFO or reads /dev/zero would never end; one that parses 4 MB in
 * quadratic time would take minutes. It takes ≈0.2 s here: the bound is wide so load cannot fail it.
 */
const NO_HANG_MS = 10_000
const FIX =
  "pass the contents of the .pem file downloaded when you generated a private key in the App's settings (Private keys → Generate a private key)"

describe('github-api-url (issue 8, item 5)', () => {
  const port = () => new URL(fake.url).port

  test.each(['installation', 'runner-registration'])(
    '%s: a user name and password are refused before any request and never shown',
    async (tokenType) => {
      const url = `http://x-access-token:hunter2-Pa55@127.0.0.1:${port()}/api/v3`
      const main = await runStep(job, 'main', {
        ...key(),
        owner: 'octo-org',
        'token-type': tokenType,
        'github-api-url': url
      })
      expectRefused(
        main,
        `Input 'github-api-url' has a user name or password ('user:password@' before the host), which is not allowed in the API's base URL. Remove it: 'http://127.0.0.1:${port()}/api/v3'.`
      )
      expect(main.stderr).toBe('')
      expect(fake.requests).toEqual([])
      for (const text of [main.stdout, main.stderr, main.summary]) {
        expect(text).not.toContain('hunter2-Pa55')
      }
    }
  )

  test("the runner's own API URL with credentials never reaches runner-url, the summary or stderr", async () => {
    const own = newJob(`http://user:hunter2-Pa55@127.0.0.1:${port()}`)
    const main = await runStep(own, 'main', {
      ...key(),
      owner: 'octo-org',
      'token-type': 'runner-registration'
    })
    expectRefused(
      main,
      `Input 'github-api-url' has a user name or password ('user:password@' before the host), which is not allowed in the API's base URL. Remove it: 'http://127.0.0.1:${port()}'.`
    )
    expect(main.stderr).toBe('')
    expect(`${main.stdout}${main.stderr}${main.summary}`).not.toContain('hunter2-Pa55')
    expect(fake.requests).toEqual([])
  })

  test('a query string is refused before any request, without echoing it', async () => {
    const main = await runStep(job, 'main', {
      ...key(),
      'github-api-url': `${fake.url}/?access_token=ghp_0123456789abcdefghijABCDEFGHIJ012345`
    })
    expectRefused(
      main,
      `Input 'github-api-url' has a query string ('?…'), which is not allowed in the API's base URL. Remove it: '${fake.url}'.`
    )
    expect(main.stderr).toBe('')
    expect(main.stdout).not.toContain('ghp_')
    expect(fake.requests).toEqual([])
  })

  test('a fragment is refused before any request', async () => {
    const main = await runStep(job, 'main', { ...key(), 'github-api-url': `${fake.url}#api` })
    expectRefused(
      main,
      `Input 'github-api-url' has a fragment ('#…'), which is not allowed in the API's base URL. Remove it: '${fake.url}'.`
    )
    expect(main.stderr).toBe('')
    expect(fake.requests).toEqual([])
  })

  test('plain http:// to loopback: no warning', async () => {
    const main = await runStep(job, 'main', key())
    expect(main.exitCode).toBe(0)
    expect(main.warnings).toEqual([])
  })

  describe('plain http:// to a host that is not loopback', () => {
    // A made-up host name, reached through a proxy that tunnels every CONNECT to the fake, as
    // in e2e/installation/proxy.test.ts: nothing is resolved and nothing leaves the machine.
    let proxy: Server
    beforeEach(async () => {
      proxy = createServer((_req, res) => res.writeHead(405).end())
      proxy.on('connect', (_req, socket) => {
        const upstream = connect(Number(port()), '127.0.0.1', () => {
          socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
          upstream.pipe(socket).pipe(upstream)
        })
        upstream.on('error', () => socket.destroy())
        socket.on('error', () => upstream.destroy())
      })
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    })
    afterEach(() => new Promise((resolve) => proxy.close(resolve)))

    test('one warning, then the token is minted', async () => {
      const apiUrl = `http://api.ghes.test:${port()}`
      const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`
      const main = await runStep(newJob(apiUrl, { http_proxy: proxyUrl }), 'main', key())
      expect(main.exitCode).toBe(0)
      expect(main.warnings).toEqual([
        `Input 'github-api-url' is '${apiUrl}': plain http:// to a host that is not this machine, so the App's JWT and the tokens it mints cross the network unencrypted. Use https://.`
      ])
      expect(main.outputs.token).toMatch(/^ghs_/)
    })
  })

  describe("Octokit's own warnings", () => {
    let mitm: ManInTheMiddle
    beforeEach(async () => (mitm = await startManInTheMiddle(fake.url)))
    afterEach(async () => mitm.close())

    test('a Deprecation header is logged to stdout through our logger, neutralized; stderr stays empty', async () => {
      mitm.intercept({
        path: '/repos/octo-org/app/installation',
        rewrite: (reply) => ({
          headers: {
            ...reply.headers,
            deprecation: 'true',
            // A C1 control character and a tab: a header may carry both, the log may not.
            sunset: 'Wed, 01 Jan 2031 00:00:00 GMT\u0085::warning::forged\tend',
            link: '<https://docs.example/deprecations/1>; rel="deprecation"'
          }
        })
      })
      const main = await runStep(newJob(mitm.url), 'main', key())
      expect(main.exitCode).toBe(0)
      expect(main.stderr).toBe('')
      expect(main.stdout.split('\n')).toContain(
        `[@octokit/request] "GET ${mitm.url}/repos/octo-org/app/installation" is deprecated. It is scheduled to be removed on Wed, 01 Jan 2031 00:00:00 GMT ::warning::forged end. See https://docs.example/deprecations/1`
      )
      expect(main.warnings).toEqual([])
      expect(mitm.seen[0]).toEqual({
        request: 'GET /repos/octo-org/app/installation',
        fate: 'rewritten'
      })
    })
  })
})

describe('keys (issue 8, item 6)', () => {
  const unreadable = (path: string, what: string) =>
    `Input 'private-key-file' is '${path}', which ${what}. Expected a path to the App's .pem file.`

  test('a directory as private-key-file is refused before any request', async () => {
    const folder = join(scratch, 'keys')
    mkdirSync(folder)
    const main = await runStep(job, 'main', keyFile(folder))
    expectRefused(main, unreadable(folder, 'is a directory, not a file'))
    expect(main.stderr).toBe('')
    expect(fake.requests).toEqual([])
  })

  test('a FIFO with no writer is refused, never opened for blocking reads', async () => {
    const fifo = join(scratch, 'key.pem')
    execFileSync('mkfifo', [fifo])
    const main = await runStep(job, 'main', keyFile(fifo))
    expectRefused(main, unreadable(fifo, 'is a FIFO (named pipe), not a regular file'))
    expect(main.stderr).toBe('')
    expect(main.wallMs).toBeLessThan(NO_HANG_MS)
    expect(fake.requests).toEqual([])
  })

  test('/dev/zero is refused, never read to its end', async () => {
    const main = await runStep(job, 'main', keyFile('/dev/zero'))
    expectRefused(main, unreadable('/dev/zero', 'is a character device, not a regular file'))
    expect(main.stderr).toBe('')
    expect(main.wallMs).toBeLessThan(NO_HANG_MS)
  })

  test('a private-key longer than 64 KB is refused', async () => {
    const main = await runStep(job, 'main', {
      ...key(),
      'private-key': `${fake.app.privateKey}\n${'A'.repeat(64 * 1024)}`
    })
    expectRefused(
      main,
      `Input 'private-key' is larger than 64 KB, but a GitHub App private key is under 4 KB. Instead, ${FIX}.`
    )
    expect(main.stderr).toBe('')
    expect(fake.requests).toEqual([])
  })

  test('a 4 MB private-key-file of BEGIN lines is refused as too large, without parsing it', async () => {
    const path = join(scratch, 'begin.pem')
    writeFileSync(path, '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(131_072))
    const main = await runStep(job, 'main', keyFile(path))
    expectRefused(
      main,
      `The file named by input 'private-key-file' is larger than 64 KB, but a GitHub App private key is under 4 KB. Instead, ${FIX}.`
    )
    expect(main.stderr).toBe('')
    expect(main.wallMs).toBeLessThan(NO_HANG_MS)
  })

  test('64 KB of BEGIN lines (just within the bound) is refused as truncated, in linear time', async () => {
    const path = join(scratch, 'begin.pem')
    writeFileSync(path, '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(2_048))
    const main = await runStep(job, 'main', keyFile(path))
    expectRefused(
      main,
      "The file named by input 'private-key-file' looks like a PEM private key but is truncated or corrupted (no END line, or a body that does not parse). Pass the whole .pem file, including the BEGIN and END lines, e.g. store it with `gh secret set APP_PRIVATE_KEY < app.pem`."
    )
    expect(main.stderr).toBe('')
    expect(main.wallMs).toBeLessThan(NO_HANG_MS)
  })

  test('a key file of exactly 64 KB is accepted', async () => {
    const path = join(scratch, 'app.pem')
    const pem = fake.app.privateKey.trim()
    writeFileSync(path, `${pem}${'\n'.repeat(64 * 1024 - pem.length)}`)
    const main = await runStep(job, 'main', keyFile(path))
    expect(main.exitCode).toBe(0)
    expect(main.outputs.token).toMatch(/^ghs_/)
  })
})

describe('validation gaps (issue 8, item 8)', () => {
  test.each(['.', '..', 'octo-org/..'])(
    "repository name '%s' is refused before any request",
    async (entry) => {
      const main = await runStep(job, 'main', { ...key(), repositories: entry })
      const name = entry.replace('octo-org/', '')
      expectRefused(
        main,
        `Input 'repositories' has an entry '${entry}', but '${name}' is not a repository name.`
      )
      expect(main.stderr).toBe('')
      expect(fake.requests).toEqual([])
    }
  )

  test.each(['installation', 'runner-jit'])(
    '%s: installation-id 9007199254740992 (2^53) is refused before any request',
    async (tokenType) => {
      const main = await runStep(job, 'main', {
        ...jit({ 'token-type': tokenType }),
        'installation-id': '9007199254740992'
      })
      expectRefused(
        main,
        "Input 'installation-id' is '9007199254740992', but an installation ID is a whole number from 1 to 9007199254740991, without leading zeros."
      )
      expect(main.stderr).toBe('')
      expect(fake.requests).toEqual([])
    }
  )

  test.each(['9007199254740992', '0'])(
    "runner-group '%s' is refused before the intermediate token is minted",
    async (group) => {
      const main = await runStep(job, 'main', jit({ 'runner-group': group }))
      expectRefused(
        main,
        `Input 'runner-group' is '${group}', but a runner group ID is a whole number from 1 to 9007199254740991, without leading zeros. Pass the group's ID or its name.`
      )
      expect(main.stderr).toBe('')
      expect(fake.requests).toEqual([])
    }
  )

  test.each([
    ['/opt/work', 'is an absolute path'],
    ['../work', "has a '..' segment"],
    ['work/../../etc', "has a '..' segment"],
    ['work\u001b[8m', 'contains a control character']
  ])("runner-work-folder '%s' is refused before any request", async (folder, problem) => {
    const main = await runStep(job, 'main', jit({ 'runner-work-folder': folder }))
    expectRefused(
      main,
      `Input 'runner-work-folder' is '${folder.replace('\u001b', ' ')}', which ${problem}; expected a folder inside the runner's directory, relative to it (e.g. '_work').`
    )
    expect(main.stderr).toBe('')
    expect(fake.requests).toEqual([])
  })

  test.each([
    ['an installation token', 'ghs_16C7e42F292c6912E7710c838347Ae178B4a'],
    ['a fine-grained PAT', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnop'],
    ['a JWT', 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2ln'],
    ['a client secret', '0123456789abcdef0123456789abcdef01234567']
  ])('an app-id that looks like %s is never echoed', async (_name, value) => {
    const main = await runStep(job, 'main', { ...key(), 'app-id': value })
    expectRefused(
      main,
      "Input 'app-id' is (a value that looks like a key or token; not shown), but an App ID is a number. For a Client ID (Iv…), use 'client-id'."
    )
    expect(main.stderr).toBe('')
    expect(main.stdout).not.toContain(value)
  })

  test('a PEM block pasted into owner is never echoed', async () => {
    const main = await runStep(job, 'main', { ...key(), owner: fake.app.privateKey })
    expectRefused(
      main,
      "Input 'owner' is (a value that looks like a key or token; not shown), which is not a GitHub user or organization name."
    )
    expect(main.stderr).toBe('')
  })

  test('an echoed value is one line, capped at 300 characters', async () => {
    const value = `a\n::warning::forged ${'x'.repeat(1_000)}`
    const main = await runStep(job, 'main', jit({ 'runner-name': value }))
    const shown = `a ::warning::forged ${'x'.repeat(300 - 21)}…`
    expectRefused(
      main,
      `Input 'runner-name' is '${shown}'; expected up to 64 letters, digits, '.', '_' or '-'.`
    )
    expect(main.stderr).toBe('')
    expect(main.warnings).toEqual([])
  })
})
