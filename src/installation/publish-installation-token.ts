import type { Context } from '../context.js'
import type { InstallationInputs } from '../inputs.js'
import { publish } from '../outputs/publish.js'
import type { SummaryTable } from '../outputs/write-summary.js'
import { neutralize } from '../text/neutralize.js'
import type { InstallationToken } from './create-installation-token.js'

/** What the post step needs to revoke the token; nothing here but the token is secret. */
export interface RevocationState {
  apiUrl: string
  expiresAt: string
  revoke: boolean
  summary: boolean
}

export async function publishInstallationToken(
  ctx: Context,
  inputs: InstallationInputs,
  minted: InstallationToken
) {
  const state: RevocationState = {
    apiUrl: inputs.apiUrl,
    expiresAt: minted.expiresAt,
    revoke: inputs.revoke,
    summary: inputs.summary
  }
  await publish(ctx, {
    secrets: [minted.token],
    outputs: {
      token: minted.token,
      'installation-id': String(minted.installationId),
      'app-slug': minted.appSlug ?? '',
      'expires-at': minted.expiresAt,
      permissions: JSON.stringify(minted.permissions)
    },
    state: { token: minted.token, revocation: JSON.stringify(state) },
    summary: inputs.summary ? summarize(inputs, minted) : undefined
  })
  // The repository names come from GitHub's reply (expiresAt is checked to be ISO 8601).
  ctx.core.info(
    `Minted an installation token for ${neutralize(scopeOf(inputs, minted))}; it expires at ${minted.expiresAt}.`
  )
}

function summarize(inputs: InstallationInputs, minted: InstallationToken): SummaryTable {
  const permissions = Object.entries(minted.permissions).map(([name, level]) => `${name}: ${level}`)
  return {
    title: 'mint-token: installation access token',
    rows: [
      ['App', minted.appSlug ?? `installation ${minted.installationId}`],
      ['Scope', scopeOf(inputs, minted)],
      ['Permissions', permissions.join(', ') || 'none'],
      ['Expires', minted.expiresAt],
      ['Revocation', inputs.revoke ? 'in the post step' : "disabled ('revoke: false')"]
    ]
  }
}

function scopeOf(inputs: InstallationInputs, minted: InstallationToken): string {
  const repositories = minted.repositories ?? inputs.target.repositories
  return repositories
    ? repositories.map((name) => `${inputs.target.owner}/${name}`).join(', ')
    : `every repository of ${inputs.target.owner} the installation can access`
}
