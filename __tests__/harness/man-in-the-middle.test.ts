import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js'
import { startManInTheMiddle, type ManInTheMiddle } from './man-in-the-middle.js'

/** The harness's man in the middle: forwards, rewrites, and loses replies after the fake acted. */
let fake: FakeGitHub
let mitm: ManInTheMiddle
beforeEach(async () => {
  fake = await startFakeGitHub()
  mitm = await startManInTheMiddle(fake.url)
})
afterEach(async () => {
  await mitm.close()
  await fake.close()
})

describe('man in the middle', () => {
  test('forwards a request and hands the reply on unchanged', async () => {
    const response = await fetch(`${mitm.url}/meta`)
    expect(fake.requests.map((r) => r.path)).toEqual(['/meta'])
    expect(response.status).toBe(fake.requests[0]!.status)
    expect(mitm.seen).toEqual([{ request: 'GET /meta', fate: 'passed' }])
  })

  test('rewrites the reply of a matching request, once', async () => {
    mitm.intercept({ path: '/meta', rewrite: () => ({ status: 200, body: '{"hostile":true}' }) })
    expect(await (await fetch(`${mitm.url}/meta`)).json()).toEqual({ hostile: true })
    expect((await fetch(`${mitm.url}/meta`)).status).toBe(fake.requests[1]!.status)
  })

  test('loses the reply after the fake has acted', async () => {
    mitm.intercept({ method: 'GET', path: '/meta', drop: 'reset' })
    await expect(fetch(`${mitm.url}/meta`)).rejects.toThrow('fetch failed')
    expect(fake.requests).toHaveLength(1)
    expect(mitm.seen).toEqual([{ request: 'GET /meta', fate: 'reset' }])
  })
})
