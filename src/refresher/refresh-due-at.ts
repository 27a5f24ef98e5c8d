/** The longest a token is kept before it is refreshed: 10 minutes of its life are left. */
export const MAX_REFRESH_LEAD_MS = 10 * 60_000

/**
 * When to replace a token: once min(10 minutes, a third of its lifetime) of it remains. GitHub's
 * tokens live an hour, so that is 50 minutes in; a third keeps short-lived tokens (as in tests)
 * refreshed well before they expire. Times in milliseconds since the epoch.
 */
export function refreshDueAt(token: { mintedAt: number; expiresAt: number }): number {
  const lifetime = Math.max(token.expiresAt - token.mintedAt, 0)
  return token.expiresAt - Math.min(MAX_REFRESH_LEAD_MS, lifetime / 3)
}
