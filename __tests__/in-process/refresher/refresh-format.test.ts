import { readFileSync } from 'node:fs'
import type { FakeGitHub } from '../../fake-github/server.js'
import { fragmentsOf } from '../../harness/assert-no-leaks.js'
import type { FakeClock } from '../../harness/fake-clock.js'
import {
  fakeGitHubOnFakeClock,
  mintIntoFile,
  startInProcess
} from '../../harness/refresher-in-process.js'

/**
 * The refresher asks each new token in the format the main step asked for ('token-format'):
 * the whole run in process on the fake clock, as refresh-loop.test.ts. That the main step hands
 * the format on is in e2e/installation/token-format.test.ts.
 */

let fake: FakeGitHub
let clock: FakeClock
beforeEach(async () => {
  ;({ fake, clock } = await fakeGitHubOnFakeClock())
  // GitHub's rollout has reached this installation: without the header, its tokens are stateless.
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { contents: 'read' }
  })
})
afterEach(async () => fake.close())

const CLASSIC = /^ghs_[A-Za-z0-9]{36}$/

describe("refresher: tokenFormat 'classic' → every refresh sends X-GitHub-Stateless-S2S-Token: disabled", () => {
  test('two refreshes, each a 40-character token in the file, though the installation mints stateless ones', async () => {
    fake.tokenLifetimeMs = 75_000
    const minted = await mintIntoFile(fake, clock, { repositories: ['app'] })
    expect(minted.token).not.toMatch(CLASSIC)
    const config = { ...minted.config, tokenFormat: 'classic' as const }
    const refresher = startInProcess(config, clock)
    const held: string[] = []
    await refresher.runUntil('two refreshes', () => {
      held.push(readFileSync(minted.file, 'utf8'))
      return refresher.status().refreshes >= 2
    })
    const mints = fake.requests.filter((r) => r.path.endsWith('/access_tokens'))
    expect(mints.map((r) => [r.status, r.headers['x-github-stateless-s2s-token']])).toEqual([
      [201, 'disabled'],
      [201, 'disabled']
    ])
    const refreshed = [...new Set(held)].slice(1)
    expect(refreshed).toHaveLength(2)
    for (const token of refreshed) expect(token).toMatch(CLASSIC)
    expect(readFileSync(minted.file, 'utf8')).toBe(refreshed[1])
    // No warning: GitHub answered in the format asked for.
    expect(refresher.status()).toMatchObject({ state: 'running', failures: 0 })
    expect(readFileSync(config.statusFile, 'utf8')).not.toMatch(/warning/i)

    refresher.terminate()
    expect(await refresher.exit).toBe(0)
    for (const part of [...fake.tokens.keys()].flatMap(fragmentsOf))
      expect(readFileSync(config.statusFile, 'utf8')).not.toContain(part)
  })
})
