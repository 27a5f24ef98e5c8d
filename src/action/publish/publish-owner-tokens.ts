import { tokenHash } from '../../lib/installation/token-hash.js'
import {
  earliestExpiry,
  type OwnerToken,
  type OwnersPublisher,
  type OwnersRequest
} from '../../lib/mint/mint-for-owners.js'
import type { ActionContext } from '../action-context.js'
import { saveState } from '../state/post-state.js'
import { describeExpiry } from './describe-expiry.js'
import { publish } from './publish.js'
import type { SummaryTable } from './write-summary.js'

/**
 * The runner's side of 'owners': after each mint, the state the post step needs to revoke every
 * token so far (masked first), so that a step killed half-way still ends with them revoked; at
 * the end, the outputs and the summary.
 */
export function ownersPublisher(ctx: ActionContext, request: OwnersRequest): OwnersPublisher {
  return {
    tokenMinted: (sofar) =>
      publish(ctx, {
        secrets: [sofar.at(-1)!.minted.token],
        outputs: {},
        state: { tokens: byOwner(sofar, (m) => m.token), revocation: revocationOf(request, sofar) }
      }),
    tokens: (minted) => publishOwnerTokens(ctx, request, minted),
    // Main revoked what it minted, so the post step does not revoke it again.
    markUndone: (by) => saveState(ctx.core, { undone: by })
  }
}

function revocationOf({ apiUrl, revoke, summary }: OwnersRequest, tokens: OwnerToken[]) {
  return { apiUrl, expiresAt: earliestExpiry(tokens), revoke, summary }
}

/**
 * `{"<owner>": value}` in the order of 'owners'. `tokens` holds the tokens; token-hash,
 * installation-id and permissions have the same shape, and expires-at is the earliest expiry:
 * the time by which every token still works.
 */
async function publishOwnerTokens(
  ctx: ActionContext,
  request: OwnersRequest,
  tokens: OwnerToken[]
): Promise<void> {
  const expiresAt = earliestExpiry(tokens)
  await publish(ctx, {
    secrets: tokens.map((t) => t.minted.token),
    outputs: {
      tokens: JSON.stringify(byOwner(tokens, (m) => m.token)),
      token: '',
      'token-hash': JSON.stringify(byOwner(tokens, (m) => tokenHash(m.token))),
      'installation-id': JSON.stringify(byOwner(tokens, (m) => m.installationId)),
      'app-slug': tokens[0]!.minted.appSlug ?? '',
      'expires-at': expiresAt,
      permissions: JSON.stringify(byOwner(tokens, (m) => m.permissions))
    },
    state: {},
    summary: request.summary ? summarize(request, tokens, ctx.github.clock.now()) : undefined
  })
  const owners = tokens.map((t) => `'${t.owner}'`).join(', ')
  ctx.core.info(
    `Minted installation tokens for ${owners}, each for every repository its installation can access; the first expires at ${expiresAt}.`
  )
}

function byOwner<T>(tokens: OwnerToken[], value: (minted: OwnerToken['minted']) => T) {
  return Object.fromEntries(tokens.map((t) => [t.owner, value(t.minted)]))
}

/** One row per owner: when its token expires (GitHub's `now`) and its hash for the audit log. */
function summarize(request: OwnersRequest, tokens: OwnerToken[], now: number): SummaryTable {
  const asked = request.permissions
  return {
    title: 'mint-token: installation access tokens',
    rows: [
      ['App', tokens[0]!.minted.appSlug ?? ''],
      ...tokens.map(({ owner, minted }): SummaryTable['rows'][number] => [
        owner,
        [
          `expires ${describeExpiry(minted.expiresAt, now)}; token hash `,
          { code: tokenHash(minted.token) }
        ]
      ]),
      [
        'Permissions',
        asked
          ? Object.entries(asked)
              .map(([name, level]) => `${name}: ${level}`)
              .join(', ')
          : 'all each installation grants'
      ],
      ['Revocation', request.revoke ? 'in the post step' : "disabled ('revoke: false')"]
    ]
  }
}
