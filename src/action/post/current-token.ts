import type { TokenState } from '../state/minted-state.js'
import type { Deps } from '../../lib/seam/deps.js'
import { readCurrentToken } from '../../lib/refresher-control/read-current-token.js'
import type { RefreshSummary } from '../../lib/refresher-control/read-refresh-status.js'
import { isSameFile } from '../../lib/refresher-control/token-file-identity.js'
import type { HandoffState } from '../../lib/handoff/hand-off.js'
import { tokenHash } from '../../lib/installation/token-hash.js'

/** The token the job holds at the end, as far as the post step can tell. */
export type CurrentToken =
  | { kind: 'in hand'; token: string; expiresAt: string }
  /** The refresher revoked it when the token file went away. */
  | { kind: 'revoked by the refresher'; hash: string }
  /** Refreshed, but not in the file any more: it expires by itself. */
  | { kind: 'out of reach'; hash: string; expiresAt: string; why: string }

/**
 * Which token to revoke: the main step's, unless the refresher replaced it. Then the current one
 * is in the file the refresher last wrote (its identity and the token's hash are in the status
 * file), and only a token with that hash is taken from it, masked before anything else. The
 * first token is never the fallback: the refresher revoked it after its first refresh.
 */
export function currentToken(
  ctx: Pick<Deps, 'log'>,
  handoff: HandoffState,
  main: Pick<TokenState, 'token' | 'expiresAt'>,
  refreshed?: RefreshSummary
): CurrentToken {
  const inHand = { kind: 'in hand' as const, token: main.token, expiresAt: main.expiresAt }
  const current = refreshed?.current
  if (!handoff.file || !current) return inHand
  if (current.revoked) return { kind: 'revoked by the refresher', hash: current.hash }
  if (current.hash === tokenHash(main.token)) return inHand
  const expiresAt = refreshed.expiresAt ?? main.expiresAt
  try {
    if (!isSameFile(handoff.file.path, current))
      throw new Error('the file the refresher wrote last was deleted or replaced')
    const token = readCurrentToken(handoff.file.path, current)
    ctx.log.mask(token)
    if (tokenHash(token) !== current.hash)
      throw new Error('it holds another token than the refresher reported')
    return { kind: 'in hand', token, expiresAt }
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    return { kind: 'out of reach', hash: current.hash, expiresAt, why }
  }
}
