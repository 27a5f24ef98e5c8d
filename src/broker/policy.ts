import { settingField } from '../lib/field.js'
import { InputError } from '../lib/input-error.js'
import { findMissingPermissions } from '../lib/permissions/find-missing-permissions.js'
import { parsePermissions } from '../lib/permissions/parse-permissions.js'
import type { Target } from '../lib/requests.js'
import { neutralize } from '../lib/text/neutralize.js'
import { BrokerError } from './broker-error.js'
import type { InstallationGrant, Policy, RunnerGrant } from './config.js'
import type { Claims } from './oidc.js'

/** A request's JSON body, once it is known to be an object. */
export type Body = Record<string, unknown>

/**
 * The policy the request names, if the caller's claims match it. A policy is never picked for
 * the caller: naming it makes the request say what it means, and a refusal say why.
 */
export function choosePolicy(policies: Policy[], body: Body, claims: Claims): Policy {
  if (typeof body.policy !== 'string' || body.policy === '')
    throw new BrokerError(400, "the body names no 'policy'")
  const policy = policies.find((p) => p.name === body.policy)
  if (!policy) throw new BrokerError(403, `there is no policy ${quote(body.policy)}`)
  const unmet = policy.match.find(({ claim, test }) => {
    const value = claims[claim]
    const text = typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
    return text === undefined || !test(text)
  })
  if (unmet)
    throw new BrokerError(
      403,
      `policy ${quote(policy.name)} does not match the caller: its claim '${unmet.claim}' is not ${unmet.shown}`
    )
  return policy
}

/** An installation token's scope: what the body asks, within the grant (all of it by default). */
export function installationScope(
  policy: Policy & { grant: InstallationGrant },
  body: Body,
  claims: Claims
): { target: Target; permissions: Record<string, string> } {
  const { grant } = policy
  const granted = grantedRepositories(policy, claims)
  const asked = stringList(body, 'repositories')
  for (const name of asked ?? []) {
    const [owner, repo] = name.includes('/') ? name.split('/', 2) : [grant.owner, name]
    if (
      owner!.toLowerCase() !== grant.owner.toLowerCase() ||
      (granted && !includes(granted, repo!))
    )
      throw new BrokerError(
        403,
        `repository ${quote(name)} is not granted by policy ${quote(policy.name)}`
      )
  }
  const repositories = asked?.map((name) => name.split('/').pop()!) ?? granted
  return {
    target: { owner: grant.owner, repositories },
    permissions: askedPermissions(policy, body)
  }
}

function grantedRepositories(policy: Policy & { grant: InstallationGrant }, claims: Claims) {
  const { grant } = policy
  if (grant.repositories !== '$repository') return grant.repositories
  const own = typeof claims.repository === 'string' ? claims.repository : ''
  const [owner, repo] = own.split('/')
  if (!repo || owner!.toLowerCase() !== grant.owner.toLowerCase())
    throw new BrokerError(
      403,
      `policy ${quote(policy.name)} grants the caller's own repository, but the token's repository claim ${quote(own)} is not one of ${quote(grant.owner)}`
    )
  return [repo]
}

function askedPermissions(policy: Policy & { grant: InstallationGrant }, body: Body) {
  const raw = body.permissions
  if (raw === undefined) return policy.grant.permissions
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new BrokerError(400, "'permissions' is not an object of name: level")
  const entries = Object.entries(raw as Record<string, unknown>)
  if (entries.some(([, level]) => typeof level !== 'string'))
    throw new BrokerError(400, "'permissions' has a level that is not a string")
  let asked: Record<string, string> | undefined
  try {
    asked = parsePermissions(
      entries.map(([name, level]) => `${name}:${String(level)}`).join(','),
      settingField("'permissions'")
    )
  } catch (error) {
    if (error instanceof InputError) throw new BrokerError(400, error.message)
    throw error
  }
  if (!asked) return policy.grant.permissions
  const [excess] = findMissingPermissions(asked, policy.grant.permissions)
  if (excess) {
    const has = excess.granted ? ` (it grants ${excess.name}:${excess.granted})` : ''
    throw new BrokerError(
      403,
      `permission ${excess.name}:${excess.requested} is not granted by policy ${quote(policy.name)}${has}`
    )
  }
  return asked
}

/** The labels a runner gets: those asked, each one in the grant's enforced set; else all of them. */
export function runnerLabels(policy: Policy & { grant: RunnerGrant }, body: Body): string[] {
  const asked = stringList(body, 'labels')
  if (!asked) return policy.grant.labels
  const outside = asked.find((label) => !includes(policy.grant.labels, label))
  if (outside !== undefined)
    throw new BrokerError(
      403,
      `label ${quote(outside)} is not granted by policy ${quote(policy.name)} (it allows ${policy.grant.labels.join(', ')})`
    )
  if (asked.length === 0) throw new BrokerError(400, "'labels' is empty")
  return asked
}

export function stringList(body: Body, key: string): string[] | undefined {
  const value = body[key]
  if (value === undefined) return undefined
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === ''))
    throw new BrokerError(400, `'${key}' is not a list of names`)
  return value as string[]
}

const includes = (list: string[], name: string) =>
  list.some((entry) => entry.toLowerCase() === name.toLowerCase())

export const quote = (value: unknown) => `'${neutralize(String(value), 200)}'`
