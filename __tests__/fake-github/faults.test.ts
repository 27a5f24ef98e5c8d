import { startFakeGitHub, type FakeGitHub } from './server.js'
import { appJwt, call, seedInstallations } from './test-client.js'

let fake: FakeGitHub
beforeEach(async () => {
  fake = await startFakeGitHub()
  seedInstallations(fake)
})
afterEach(() => fake.close())

describe('fake GitHub: faults', () => {
  it('answers an injected status with retry-after, once by default', async () => {
    fake.inject({ method: 'GET', path: '/app', fault: { status: 429, retryAfter: 3 } })
    const jwt = await appJwt(fake)
    const first = await call(fake, 'GET', '/app', { auth: jwt })
    expect(first.status).toBe(429)
    expect(first.headers.get('retry-after')).toBe('3')
    expect((await call(fake, 'GET', '/app', { auth: jwt })).status).toBe(200)
  })

  it('repeats a fault `times` times and matches paths by RegExp', async () => {
    fake.inject({ path: /access_tokens$/, times: 2, fault: { status: 502 } })
    const jwt = await appJwt(fake)
    const statuses = []
    for (let i = 0; i < 3; i++)
      statuses.push(
        (await call(fake, 'POST', '/app/installations/1000/access_tokens', { auth: jwt })).status
      )
    expect(statuses).toEqual([502, 502, 201])
  })

  it('answers a secondary rate limit like GitHub', async () => {
    fake.inject({ fault: { secondaryRateLimit: { retryAfter: 60 } } })
    const answer = await call(fake, 'GET', '/app', { auth: await appJwt(fake) })
    expect(answer.status).toBe(403)
    expect(answer.headers.get('retry-after')).toBe('60')
    expect((answer.body as { message: string }).message).toContain('secondary rate limit')
  })

  it('resets the connection', async () => {
    fake.inject({ fault: { reset: true } })
    await expect(fetch(`${fake.url}/app`)).rejects.toThrow()
    expect(fake.requests[0]).toMatchObject({ path: '/app', status: 0 })
  })

  it('hangs until close()', async () => {
    fake.inject({ fault: { hang: true } })
    const pending = fetch(`${fake.url}/app`)
    const settled = await Promise.race([
      pending.then(
        () => 'answered',
        () => 'failed'
      ),
      new Promise((r) => setTimeout(() => r('hung'), 300))
    ])
    expect(settled).toBe('hung')
    await fake.close()
    await expect(pending).rejects.toThrow()
    fake = await startFakeGitHub() // afterEach closes this one
  })

  it('delays by an injected latency and by latencyMs', async () => {
    fake.inject({ fault: { latencyMs: 200 } })
    fake.latencyMs = 50
    const started = Date.now()
    expect((await call(fake, 'GET', '/app', { auth: await appJwt(fake) })).status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(240)
  })
})
