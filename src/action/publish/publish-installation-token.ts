import type { TokenExtras } from '../../lib/mint/mint-credential.js'
import type { InstallationRequest } from '../../lib/requests.js'
import type { ActionContext } from '../action-context.js'
import { describeCoreLimit } from '../../lib/installation/fetch-rate-limit.js'
import { tokenHash } from '../../lib/installation/token-hash.js'
import { describeExpiry } from './describe-expiry.js'
import { publish } from './publish.js'
import type { SummaryTable } from './write-summary.js'
import { neutralize } from '../../lib/text/neutralize.js'
import type { InstallationToken } from '../../lib/installation/create-installation-token.js'

/**
 * What the post step needs to revoke the token, saved (masked first) as soon as it is minted: a
 * job cancelled during the hand-off, or a main step killed before it could undo, still ends with
 * the post step revoking it. The token is kept in state as before, the rest is not secret.
 */
export async function publishRevocationState(
  ctx: ActionContext,
  inputs: InstallationRequest,
  minted: InstallationToken
) {
  const revocation = {
    apiUrl: inputs.apiUrl,
    expiresAt: minted.expiresAt,
    revoke: inputs.revoke,
    summary: inputs.summary
  }
  await publish(ctx, {
    secrets: [minted.token],
    outputs: {},
    state: { token: minted.token, revocation }
  })
}

/** Outputs, the hand-off's state and the summary, once the hand-off is done. */
export async function publishInstallationToken(
  ctx: ActionContext,
  inputs: InstallationRequest,
  minted: InstallationToken,
  extras: TokenExtras
) {
  const hash = tokenHash(minted.token)
  await publish(ctx, {
    secrets: [minted.token],
    outputs: {
      token: minted.token,
      'installation-id': String(minted.installationId),
      'app-slug': minted.appSlug ?? '',
      'expires-at': minted.expiresAt,
      permissions: JSON.stringify(minted.permissions),
      'token-hash': hash,
      ...extras.handedOff.outputs,
      ...extraOutputs(extras)
    },
    exports: extras.handedOff.exports,
    paths: extras.handedOff.paths,
    state: { handoff: extras.handedOff.state },
    summary: inputs.summary
      ? summarize(inputs, minted, extras, { hash, now: ctx.github.clock.now() })
      : undefined
  })
  if (extras.rateLimit)
    ctx.core.info(`Rate limit of the new token: ${describeCoreLimit(extras.rateLimit)}.`)
  // The repository names come from GitHub's reply (expiresAt is checked to be ISO 8601).
  ctx.core.info(
    `Minted an installation token for ${neutralize(scopeOf(inputs, minted))}; it expires at ${minted.expiresAt}.`
  )
}

function extraOutputs({ bot, rateLimit }: TokenExtras): Record<string, string> {
  return {
    ...(bot && { 'bot-name': bot.name, 'bot-user-id': String(bot.userId), 'bot-email': bot.email }),
    ...(rateLimit && { 'rate-limit': JSON.stringify(rateLimit) })
  }
}

/** `now` is GitHub's (ctx.github.clock), so "in 59 min" holds whatever the runner's clock says. */
function summarize(
  inputs: InstallationRequest,
  minted: InstallationToken,
  extras: TokenExtras,
  { hash, now }: { hash: string; now: number }
): SummaryTable {
  const permissions = Object.entries(minted.permissions)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, level]) => `${name}: ${level}`)
  return {
    title: 'mint-token: installation access token',
    rows: [
      ['App', minted.appSlug ?? `installation ${minted.installationId}`],
      ['Scope', scopeOf(inputs, minted)],
      ['Permissions', permissions.join(', ') || 'none'],
      ['Expires', describeExpiry(minted.expiresAt, now)],
      ['Revocation', inputs.revoke ? 'in the post step' : "disabled ('revoke: false')"],
      ['Token hash (audit log)', { code: hash }],
      ...extras.handedOff.rows,
      ...(extras.bot
        ? [['Bot', `${extras.bot.name} <${extras.bot.email}>`] as SummaryTable['rows'][number]]
        : []),
      ...(extras.rateLimit
        ? [['Rate limit', describeCoreLimit(extras.rateLimit)] as SummaryTable['rows'][number]]
        : [])
    ]
  }
}

function scopeOf(inputs: InstallationRequest, minted: InstallationToken): string {
  if (inputs.target.enterprise) return `the enterprise ${inputs.target.owner}`
  const repositories = minted.repositories ?? inputs.target.repositories
  return repositories
    ? repositories.map((name) => `${inputs.target.owner}/${name}`).join(', ')
    : `every repository of ${inputs.target.owner} the installation can access`
}
