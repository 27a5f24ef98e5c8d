import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { cliEnv, newWorkdir, runCli } from '../../harness/run-cli.js'
import { startTunnelProxy, type TunnelProxy } from '../../harness/tunnel-proxy.js'

/**
 * The command line behind a proxy, by the action's own transport: HTTPS_PROXY/http_proxy and
 * NO_PROXY honoured. As in e2e-proxy.test.ts, the API host is a made-up name (loopback always
 * bypasses proxies) that the proxy tunnels to the fake on 127.0.0.1.
 */
let fake: FakeGitHub
let proxy: TunnelProxy
beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { contents: 'read' }
  })
  proxy = await startTunnelProxy(Number(new URL(fake.url).port))
})
afterEach(async () => {
  await proxy.close()
  await fake.close()
})

test('cli exec: the mint and the revocation go through http_proxy', async () => {
  const { cwd, keyFile } = newWorkdir(fake)
  const host = `api.ghes.test:${new URL(fake.url).port}`
  const run = await runCli(
    [
      'exec',
      '--app-id',
      String(fake.app.id),
      '--private-key-file',
      keyFile,
      '--owner',
      'octo-org',
      '--',
      'true'
    ],
    { fake, cwd, env: cliEnv({ http_proxy: proxy.url, GITHUB_API_URL: `http://${host}` }) }
  )
  expect(run.exitCode).toBe(0)
  expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    'GET /users/octo-org/installation',
    'POST /app/installations/1000/access_tokens',
    'DELETE /installation/token'
  ])
  expect(new Set(proxy.tunnels)).toEqual(new Set([host]))
  expect(run.stderr).toContain(
    `warning: GITHUB_API_URL is 'http://${host}': plain http:// to a host that is not this machine`
  )
})

test('cli token: NO_PROXY sends the request around the proxy', async () => {
  const { cwd, keyFile } = newWorkdir(fake)
  const run = await runCli(
    [
      'token',
      '--app-id',
      String(fake.app.id),
      '--private-key-file',
      keyFile,
      '--owner',
      'octo-org'
    ],
    {
      fake,
      cwd,
      env: cliEnv({
        http_proxy: proxy.url,
        no_proxy: 'api.ghes.test',
        GITHUB_API_URL: fake.url.replace('127.0.0.1', 'api.ghes.test')
      })
    }
  )
  // api.ghes.test does not resolve here, so going around the proxy must fail to connect.
  expect(run.exitCode).toBe(1)
  expect(run.stderr).toContain('error: getaddrinfo ENOTFOUND api.ghes.test')
  expect(proxy.tunnels).toEqual([])
})
