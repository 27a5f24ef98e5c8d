import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { newJob, runAction } from '../../harness/run-action.js'
import { startTunnelProxy, type TunnelProxy } from '../../harness/tunnel-proxy.js'

/**
 * Behind a proxy: the runner's https_proxy/http_proxy are honoured. The API host is a made-up
 * name (loopback addresses always bypass proxies); the proxy below tunnels every CONNECT to the
 * fake on 127.0.0.1, so nothing is resolved and nothing leaves the machine.
 */
let fake: FakeGitHub
let proxy: TunnelProxy
let tunnels: string[]

beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { contents: 'read' }
  })
  proxy = await startTunnelProxy(Number(new URL(fake.url).port))
  tunnels = proxy.tunnels
})
afterEach(async () => {
  await proxy.close()
  await fake.close()
})

const apiUrl = () => `http://api.ghes.test:${new URL(fake.url).port}`
const proxyUrl = () => proxy.url
const inputs = () => ({
  'app-id': String(fake.app.id),
  'private-key': fake.app.privateKey,
  'github-api-url': apiUrl()
})

describe('main and post behind a proxy', () => {
  test('every request goes through the proxy named by http_proxy', async () => {
    const job = newJob(apiUrl(), { http_proxy: proxyUrl() })
    const { main, post } = await runAction(job, inputs())
    expect(main.exitCode).toBe(0)
    expect(post.stdout).toContain('Revoked the installation token.')
    expect(fake.requests).toHaveLength(3)
    expect(tunnels.length).toBeGreaterThanOrEqual(2)
    expect(new Set(tunnels)).toEqual(new Set([`api.ghes.test:${new URL(fake.url).port}`]))
  })

  test('no_proxy sends the request around the proxy', async () => {
    const job = newJob(fake.url, { http_proxy: proxyUrl(), no_proxy: 'api.ghes.test' })
    const { main } = await runAction(job, {
      ...inputs(),
      'github-api-url': fake.url.replace('127.0.0.1', 'api.ghes.test')
    })
    // api.ghes.test does not resolve here, so going around the proxy must fail to connect.
    expect(main.exitCode).toBe(1)
    expect(main.errors).toEqual(['getaddrinfo ENOTFOUND api.ghes.test'])
    expect(tunnels).toEqual([])
  })

  test("the proxy is chosen for 'github-api-url', not for the runner's own GITHUB_API_URL", async () => {
    // The runner's API host would be proxied; the one we call is in no_proxy, so it must not be.
    const job = newJob(`http://api.runner.test:${new URL(fake.url).port}`, {
      http_proxy: proxyUrl(),
      no_proxy: 'api.ghes.test'
    })
    const { main } = await runAction(job, inputs())
    expect(main.exitCode).toBe(1)
    expect(main.errors).toEqual(['getaddrinfo ENOTFOUND api.ghes.test'])
    expect(tunnels).toEqual([])
  })
})
