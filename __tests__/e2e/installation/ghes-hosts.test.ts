import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { newJob, runAction, type Job } from '../../harness/run-action.js'
import { startTunnelProxy, type TunnelProxy } from '../../harness/tunnel-proxy.js'

/**
 * Issue 13, item 11, through the bundled dist/: a job on github.com's runner calls a GitHub
 * Enterprise Server whose host is itself called api.… (http://api.ghes.test:PORT/api/v3). The
 * server behind it keeps that host: git's credential origin, 'bot-email' and 'runner-url' must
 * not point at ghes.test. The made-up host reaches the fake (served under /api/v3) through a
 * tunnelling proxy.
 */
let fake: FakeGitHub
let proxy: TunnelProxy
let job: Job
let apiUrl: string
let server: string

beforeEach(async () => {
  fake = await startFakeGitHub({ pathPrefix: '/api/v3' })
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { contents: 'write', metadata: 'read', organization_self_hosted_runners: 'write' }
  })
  proxy = await startTunnelProxy(Number(new URL(fake.url).port))
  server = `http://api.ghes.test:${new URL(fake.url).port}`
  apiUrl = `${server}/api/v3`
  job = newJob('https://api.github.com', {
    GITHUB_SERVER_URL: 'https://github.com',
    http_proxy: proxy.url
  })
})
afterEach(async () => {
  await proxy.close()
  await fake.close()
})

const inputs = (more: Record<string, string>) => ({
  'app-id': String(fake.app.id),
  'private-key': fake.app.privateKey,
  'github-api-url': apiUrl,
  ...more
})

describe('GHES on a host named api.…: the server keeps its host', () => {
  test('git-credentials and bot-identity use http://api.ghes.test:PORT', async () => {
    const { main, post } = await runAction(
      job,
      inputs({ 'git-credentials': 'true', 'bot-identity': 'true' })
    )
    expect(main.exitCode).toBe(0)
    expect(main.exported.GIT_CONFIG_KEY_1).toBe(`credential.${server}.helper`)
    expect(main.stdout.split('\n')).toContain(
      `Configured git to authenticate to ${server} with the token, for the later steps.`
    )
    const id = main.outputs['bot-user-id']!
    expect(main.outputs['bot-email']).toBe(`${id}+fake-mint-token[bot]@users.noreply.api.ghes.test`)
    expect(post.exitCode).toBe(0)
    expect(new Set(proxy.tunnels)).toEqual(new Set([new URL(server).host]))
  })

  test("runner-url is the organization's page on that server", async () => {
    const { main } = await runAction(
      job,
      inputs({ owner: 'octo-org', 'token-type': 'runner-registration' })
    )
    expect(main.exitCode).toBe(0)
    expect(main.outputs['runner-url']).toBe(`${server}/octo-org`)
  })
})
