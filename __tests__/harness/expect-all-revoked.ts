import type { FakeGitHub } from '../fake-github/server.js'

/** Every token the fake issued has been revoked again (none issued passes too). */
export function expectAllRevoked(fake: Pick<FakeGitHub, 'tokens'>): void {
  expect([...fake.tokens.values()].every((t) => t.revoked)).toBe(true)
}
