import type { InstallationToken } from '../lib/installation/create-installation-token.js'
import { tokenHash } from '../lib/installation/token-hash.js'
import { installationPublisher } from '../lib/mint/deliver-publishers.js'
import { mintCredential } from '../lib/mint/mint-credential.js'
import type { InstallationRequest } from '../lib/requests.js'
import type { Deps } from '../lib/seam/deps.js'
import { settingField, type RequestFields } from '../lib/field.js'
import type { BrokerConfig, InstallationGrant, Policy } from './config.js'
import type { Metrics } from './metrics.js'
import type { Claims } from './oidc.js'
import { BrokerError } from './broker-error.js'
import { choosePolicy, installationScope, quote, type Body } from './policy.js'
import type { AuditRow, BrokerStore } from './store/store.js'

/** What every route runs with: the config, the library's deps for this request, state, metrics. */
export interface RouteContext {
  config: BrokerConfig
  deps: Deps
  store: BrokerStore
  metrics: Metrics
}

/** A route's answer: the JSON for the caller, and its audit row unless the route wrote it. */
export interface RouteResult {
  status: number
  body: unknown
  audit: Partial<AuditRow> | 'written'
}

/** The broker hands the credential to the caller alone: no file, no environment, no git. */
export const NO_HANDOFF = {
  refresh: false,
  exportEnv: [],
  gitCredentials: false,
  botIdentity: false,
  rateLimit: false
}

/** How the library's messages name the grant's parts: the config's settings of that policy. */
export function grantFields(policy: Policy, repositories = 'repositories'): RequestFields {
  const at = (name: string) => settingField(`policy '${policy.name}' grant.${name}`)
  return {
    owner: at('owner'),
    repositories: at(repositories),
    installationId: at('installation-id'),
    permissions: at('permissions'),
    app: 'app.app-id/app.client-id'
  }
}

/**
 * POST /v1/token: an installation token within the policy's grant. The audit row is written
 * inside the mint's rollback: a token whose row could not be stored is revoked, never handed out.
 */
export async function mintToken(
  ctx: RouteContext,
  claims: Claims,
  body: Body
): Promise<RouteResult> {
  const policy = choosePolicy(ctx.config.policies, body, claims)
  if (policy.grant.kind !== 'installation') return refusedKind(policy, 'an installation token')
  const scoped = policy as Policy & { grant: InstallationGrant }
  const { target, permissions } = installationScope(scoped, body, claims)
  const request: InstallationRequest = {
    app: ctx.config.app,
    target,
    apiUrl: ctx.config.apiUrl,
    summary: false,
    fields: grantFields(policy),
    handoff: NO_HANDOFF,
    tokenType: 'installation',
    permissions,
    revoke: false
  }
  let minted: InstallationToken | undefined
  const started = ctx.deps.now()
  await mintCredential(
    ctx.deps,
    request,
    installationPublisher(async (_r, token) => {
      ctx.metrics.mint((ctx.deps.now() - started) / 1000)
      const audit = {
        policy: policy.name,
        installationId: token.installationId,
        repositories: token.repositories ?? target.repositories,
        permissions: token.permissions,
        tokenHash: tokenHash(token.token),
        expiresAt: token.expiresAt
      }
      await ctx.store.audit(auditRow(claims, '/v1/token', 201, 'allowed', audit, ctx.deps.now()))
      minted = token
    })
  )
  const token = minted!
  return {
    status: 201,
    body: {
      token: token.token,
      expires_at: token.expiresAt,
      installation_id: token.installationId,
      owner: target.owner,
      app_slug: token.appSlug ?? null,
      repositories: token.repositories ?? token.repositorySelection,
      permissions: token.permissions,
      token_hash: tokenHash(token.token)
    },
    audit: 'written'
  }
}

function refusedKind(policy: Policy, what: string): never {
  throw new BrokerError(
    403,
    `policy ${quote(policy.name)} grants ${policy.grant.kind} credentials, not ${what}`
  )
}

/** One audit row from the caller's claims and what the route adds. */
export function auditRow(
  claims: Claims | undefined,
  route: string,
  status: number,
  decision: AuditRow['decision'],
  extra: Partial<AuditRow>,
  now: number
): AuditRow {
  const claim = (name: string) => {
    const value = claims?.[name]
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
  }
  return {
    time: new Date(now).toISOString(),
    route,
    decision,
    status,
    issuer: claim('iss'),
    subject: claim('sub'),
    repository: claim('repository'),
    jobWorkflowRef: claim('job_workflow_ref'),
    runId: claim('run_id'),
    actor: claim('actor'),
    ...extra
  }
}
