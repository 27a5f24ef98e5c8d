import type { InstallationToken } from '../installation/create-installation-token.js'
import type {
  InstallationRequest,
  RunnerJitRequest,
  RunnerRegistrationRequest,
  BrokerSource
} from '../requests.js'
import type { JitRunner } from '../runners/create-jit-runner.js'
import { jitConfigSecrets } from '../runners/jit-config-secrets.js'
import type { RegistrationToken } from '../runners/create-registration-token.js'
import type { Deps } from '../seam/deps.js'
import { neutralize } from '../text/neutralize.js'
import { trimTrailingSlashes } from '../text/trim-trailing-slashes.js'
import {
  requireInteger,
  requireString,
  requireTimestamp,
  stringEntries
} from '../transport/check-reply.js'
import { proxyFetchFor } from '../transport/proxy-fetch-for.js'

/** A broker call must not hang the job; the broker's own GitHub budget is 20 s. */
const TIMEOUT_MS = 30_000

type BrokerDeps = Pick<Deps, 'log' | 'idToken'>

/**
 * One request to the broker (`mint-token serve`, see README "Keyless"): a fresh OIDC token of the
 * job for the broker's audience, masked at once, then JSON over the proxy rules of the broker's
 * host. Every secret the reply carries is masked by the caller before anything else happens.
 * A refusal ends in an error with the broker's status and reason (its text is foreign).
 */
async function callBroker(
  deps: BrokerDeps,
  broker: BrokerSource,
  method: 'POST' | 'GET' | 'DELETE',
  path: string,
  body?: Record<string, unknown>
): Promise<Record<string, unknown>> {
  if (!deps.idToken)
    throw new Error('mint-token: this front end has no OIDC token to prove itself to a broker.')
  const oidc = await deps.idToken(broker.audience)
  deps.log.mask(oidc)
  const url = `${trimTrailingSlashes(broker.url)}${path}`
  const fetch = proxyFetchFor(url)
  let reply: Response
  try {
    reply = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${oidc}`,
        accept: 'application/json',
        ...(body ? { 'content-type': 'application/json' } : {})
      },
      body: body ? JSON.stringify({ policy: broker.policy, ...body }) : undefined,
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'error'
    })
  } catch (error) {
    throw new Error(
      `Could not reach the broker at ${neutralize(broker.url, 200)} (${neutralize(errorCode(error), 100)}).`,
      { cause: error }
    )
  }
  const data = await reply.json().catch(() => undefined)
  if (!reply.ok) {
    const reason = (data as { error?: unknown } | undefined)?.error
    throw new Error(
      `The broker refused ${method} ${path} (HTTP ${reply.status}): ${neutralize(typeof reason === 'string' ? reason : 'no reason given', 500)}.`
    )
  }
  if (!data || typeof data !== 'object')
    throw new Error(`The broker's reply to ${method} ${path} is not a JSON object.`)
  return data as Record<string, unknown>
}

function errorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause
  if (typeof cause?.code === 'string') return cause.code
  return error instanceof Error ? error.name : 'error'
}

/** POST /v1/token: the token the policy grants, within the request's repositories and permissions. */
export async function brokerInstallationToken(
  deps: BrokerDeps,
  request: Pick<InstallationRequest, 'target' | 'permissions'> & { broker: BrokerSource }
): Promise<InstallationToken & { owner?: string }> {
  const route = 'POST /v1/token (broker)'
  const data = await callBroker(deps, request.broker, 'POST', '/v1/token', {
    ...(request.target.repositories && { repositories: request.target.repositories }),
    ...(request.permissions && { permissions: request.permissions })
  })
  const token = requireString(data, 'token', route)
  deps.log.mask(token)
  const repositories = Array.isArray(data.repositories)
    ? data.repositories.filter((name): name is string => typeof name === 'string')
    : undefined
  return {
    token,
    expiresAt: requireTimestamp(data, 'expires_at', route),
    installationId: requireInteger(data, 'installation_id', route),
    permissions: stringEntries(data, 'permissions'),
    repositorySelection: repositories ? 'selected' : 'all',
    repositories,
    appSlug: typeof data.app_slug === 'string' ? data.app_slug : undefined,
    owner: typeof data.owner === 'string' ? data.owner : undefined
  }
}

/** POST /v1/runners/registration-token. */
export async function brokerRegistrationToken(
  deps: BrokerDeps,
  request: RunnerRegistrationRequest & { broker: BrokerSource }
): Promise<RegistrationToken & { url: string }> {
  const route = 'POST /v1/runners/registration-token (broker)'
  const data = await callBroker(deps, request.broker, 'POST', '/v1/runners/registration-token', {})
  const token = requireString(data, 'token', route)
  deps.log.mask(token)
  return {
    token,
    expiresAt: requireTimestamp(data, 'expires_at', route),
    url: requireString(data, 'url', route)
  }
}

/**
 * POST /v1/runners/jit: the runner with the labels asked (within the policy's enforced set) and
 * the name, if one is set. Every secret inside the configuration is masked before it is used.
 */
export async function brokerJitRunner(
  deps: BrokerDeps,
  request: RunnerJitRequest & { broker: BrokerSource }
): Promise<JitRunner & { url: string }> {
  const route = 'POST /v1/runners/jit (broker)'
  const data = await callBroker(deps, request.broker, 'POST', '/v1/runners/jit', {
    ...(request.jit.labels.length > 0 && { labels: request.jit.labels }),
    ...(request.jit.name && { name: request.jit.name })
  })
  const encodedJitConfig = requireString(data, 'encoded_jit_config', route)
  for (const secret of jitConfigSecrets(encodedJitConfig)) deps.log.mask(secret)
  return {
    encodedJitConfig,
    runner: {
      id: requireInteger(data, 'runner_id', route),
      name: requireString(data, 'runner_name', route)
    },
    group: groupOf(data.group),
    url: requireString(data, 'url', route)
  }
}

/** The group the broker's grant chose, as its reply says (shown in the summary only). */
function groupOf(value: unknown): JitRunner['group'] {
  const group = value as { id?: unknown; name?: unknown } | undefined
  return typeof group?.id === 'number' && typeof group.name === 'string'
    ? { id: group.id, name: neutralize(group.name, 100) }
    : { id: 0, name: "the broker policy's" }
}

/** DELETE /v1/runners/{id}: the broker removes one of this caller's runners (busy: refused). */
export async function brokerRemoveRunner(
  deps: BrokerDeps,
  broker: BrokerSource,
  runnerId: number
): Promise<string> {
  const data = await callBroker(deps, broker, 'DELETE', `/v1/runners/${runnerId}`)
  return typeof data.removed === 'string' ? data.removed : 'removed'
}

/** GET /v1/runners: this runner's status as GitHub has it now ('gone' once removed). */
export async function brokerRunnerStatus(
  deps: BrokerDeps,
  broker: BrokerSource,
  runnerId: number
): Promise<string> {
  const data = await callBroker(deps, broker, 'GET', '/v1/runners')
  const runners = Array.isArray(data.runners) ? (data.runners as Record<string, unknown>[]) : []
  const runner = runners.find((r) => r.runner_id === runnerId)
  if (!runner) return 'gone'
  if (runner.busy === true) return 'busy'
  return typeof runner.status === 'string' ? runner.status : 'unknown'
}
