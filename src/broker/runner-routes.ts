import { jitPublisher, registrationPublisher } from '../lib/mint/deliver-publishers.js'
import { mintCredential } from '../lib/mint/mint-credential.js'
import { webUrl } from '../lib/parse/runner-scope.js'
import type {
  RunnerJitRequest,
  RunnerRegistrationRequest,
  RunnerScope,
  Target
} from '../lib/requests.js'
import type { JitRunner } from '../lib/runners/create-jit-runner.js'
import type { RegistrationToken } from '../lib/runners/create-registration-token.js'
import { jitConfigSecrets } from '../lib/runners/jit-config-secrets.js'
import { MAX_RUNNER_NAME_LENGTH } from '../lib/runners/runner-name-format.js'
import { deleteRunner, getRunner } from '../lib/runners/runner-requests.js'
import { withRunnerAdminToken } from '../lib/runners/with-runner-admin-token.js'
import { httpStatus } from '../lib/transport/describe-request-error.js'
import { BrokerError } from './broker-error.js'
import type { Policy, RunnerGrant } from './config.js'
import type { Claims } from './oidc.js'
import { choosePolicy, quote, runnerLabels, type Body } from './policy.js'
import { auditRow, grantFields, NO_HANDOFF, type RouteContext, type RouteResult } from './routes.js'
import type { RegisteredRunnerRow } from './store/store.js'

type RunnerPolicy = Policy & { grant: RunnerGrant }

/**
 * POST /v1/runners/jit: a just-in-time runner with the grant's enforced labels (or the subset
 * asked), group, name prefix and work folder. It is recorded for the caller as soon as GitHub
 * registered it, and its audit row is written inside the rollback: a runner that could not be
 * recorded is removed again. The configuration is in the reply only, never in a log or a row.
 */
export async function registerJitRunner(
  ctx: RouteContext,
  claims: Claims,
  body: Body
): Promise<RouteResult> {
  const policy = runnerPolicy(ctx, body, claims, 'runner-jit', 'a just-in-time runner')
  const home = runnerHome(ctx, policy)
  const request: RunnerJitRequest = {
    ...home,
    tokenType: 'runner-jit',
    jit: {
      labels: runnerLabels(policy, body),
      group: policy.grant.group,
      name: askedName(policy, body),
      namePrefix: policy.grant.namePrefix ?? 'mint-token',
      workFolder: policy.grant.workFolder ?? '_work',
      cleanup: 'never'
    },
    // The caller's run, as the action names its runners: prune reads the time back.
    run: { id: numeric(claims.run_id) ?? 'local', attempt: numeric(claims.run_attempt) ?? '1' }
  }
  let registered: JitRunner | undefined
  await mintCredential(
    ctx.deps,
    request,
    jitPublisher(
      (jit) => jitConfigSecrets(jit.encodedJitConfig).forEach((s) => ctx.deps.log.mask(s)),
      async (_r, jit) => {
        await ctx.store.addRunner(rowOf(policy, claims, jit.runner, ctx.deps.now()))
        await ctx.store.audit(
          auditRow(
            claims,
            '/v1/runners/jit',
            201,
            'allowed',
            runnerAudit(policy, jit.runner),
            ctx.deps.now()
          )
        )
        registered = jit
      }
    )
  )
  const jit = registered!
  return {
    status: 201,
    body: {
      encoded_jit_config: jit.encodedJitConfig,
      runner_id: jit.runner.id,
      runner_name: jit.runner.name,
      url: request.runnerUrl,
      labels: request.jit.labels,
      group: { id: jit.group.id, name: jit.group.name }
    },
    audit: 'written'
  }
}

/**
 * POST /v1/runners/registration-token: a token for config.sh. GitHub does not bind a
 * registration token to labels, a group or a name: the grant's are in configuration_command,
 * but only a JIT runner enforces them (the README says so).
 */
export async function registrationToken(
  ctx: RouteContext,
  claims: Claims,
  body: Body
): Promise<RouteResult> {
  const policy = runnerPolicy(ctx, body, claims, 'runner-registration', 'a registration token')
  const request: RunnerRegistrationRequest = {
    ...runnerHome(ctx, policy),
    tokenType: 'runner-registration'
  }
  let minted: RegistrationToken | undefined
  await mintCredential(
    ctx.deps,
    request,
    registrationPublisher((_r, token) => {
      ctx.deps.log.mask(token.token)
      minted = token
    })
  )
  const token = minted!
  const { grant } = policy
  const options = [
    ...(grant.labels.length > 0 ? ['--labels', grant.labels.join(',')] : []),
    ...(grant.group !== undefined ? ['--runnergroup', String(grant.group)] : []),
    ...(grant.workFolder ? ['--work', grant.workFolder] : [])
  ]
  return {
    status: 201,
    body: {
      token: token.token,
      expires_at: token.expiresAt,
      url: request.runnerUrl,
      configuration_command: [
        './config.sh --url',
        request.runnerUrl,
        '--token',
        token.token,
        ...options,
        '--unattended'
      ].join(' ')
    },
    audit: { policy: policy.name, expiresAt: token.expiresAt }
  }
}

/** GET /v1/runners: the caller's runners, each with GitHub's status now ('gone' once removed). */
export async function listCallerRunners(ctx: RouteContext, claims: Claims): Promise<RouteResult> {
  const rows = await ctx.store.listRunners(callerOf(claims))
  const runners = await Promise.all(
    rows.map(async (row) => {
      const now = await withAdmin(ctx, row, (github) =>
        getRunner(github, scopeOf(row), row.runnerId)
      )
      if (!now) await ctx.store.removeRunner(row.runnerId, row.owner)
      return {
        runner_id: row.runnerId,
        runner_name: row.runnerName,
        owner: row.owner,
        repository: row.repository ?? null,
        policy: row.policy,
        created_at: row.createdAt,
        status: now ? now.status : 'gone',
        busy: now ? now.busy : false,
        labels: now ? now.labels.map((l) => l.name) : []
      }
    })
  )
  return { status: 200, body: { runners }, audit: {} }
}

/**
 * DELETE /v1/runners/{id}: one of the caller's runners, never a busy one (409). Another caller's
 * runner is "not found": whether it exists is not the caller's to learn.
 */
export async function deleteCallerRunner(
  ctx: RouteContext,
  claims: Claims,
  _body: Body,
  id?: string
): Promise<RouteResult> {
  const row = (await ctx.store.listRunners(callerOf(claims))).find((r) => String(r.runnerId) === id)
  if (!row)
    throw new BrokerError(404, `no runner ${quote(id)} was registered by this broker for you`)
  const audit = { policy: row.policy, runnerId: row.runnerId, runnerName: row.runnerName }
  const outcome = await withAdmin(ctx, row, async (github) => {
    const scope = scopeOf(row)
    const runner = await getRunner(github, scope, row.runnerId)
    if (!runner) return 'gone'
    if (runner.busy) return 'busy'
    try {
      return await deleteRunner(github, scope, row.runnerId)
    } catch (error) {
      if (httpStatus(error) === 422) return 'busy'
      throw error
    }
  })
  if (outcome === 'busy')
    throw new BrokerError(
      409,
      `runner ${quote(row.runnerName)} is running a job; it was not removed`
    )
  await ctx.store.removeRunner(row.runnerId, row.owner)
  return {
    status: 200,
    body: {
      runner_id: row.runnerId,
      runner_name: row.runnerName,
      removed: outcome === 'deleted' ? 'removed' : 'already gone'
    },
    audit
  }
}

function runnerPolicy(
  ctx: RouteContext,
  body: Body,
  claims: Claims,
  kind: RunnerGrant['kind'],
  what: string
): RunnerPolicy {
  const policy = choosePolicy(ctx.config.policies, body, claims)
  if (policy.grant.kind !== kind)
    throw new BrokerError(
      403,
      `policy ${quote(policy.name)} grants ${policy.grant.kind} credentials, not ${what}`
    )
  return policy as RunnerPolicy
}

/** Where the grant's runners register, and the App that registers them. */
function runnerHome(ctx: RouteContext, policy: RunnerPolicy) {
  const { grant } = policy
  const target: Target = {
    owner: grant.owner,
    repositories: grant.repository ? [grant.repository] : undefined
  }
  const scope: RunnerScope = grant.repository
    ? { kind: 'repo', owner: grant.owner, repo: grant.repository }
    : { kind: 'org', org: grant.owner }
  return {
    app: ctx.config.app,
    target,
    apiUrl: ctx.config.apiUrl,
    summary: false,
    fields: grantFields(policy, 'repository'),
    handoff: NO_HANDOFF,
    scope,
    runnerUrl: webUrl(ctx.deps.run, ctx.config.apiUrl, scope)
  }
}

/** A name the caller chose: it must carry the grant's prefix, so the grant's prune can see it. */
function askedName(policy: RunnerPolicy, body: Body): string | undefined {
  if (body.name === undefined) return undefined
  const prefix = `${policy.grant.namePrefix ?? 'mint-token'}-`
  const name = body.name
  if (
    typeof name !== 'string' ||
    !/^[A-Za-z0-9._-]+$/.test(name) ||
    name.length > MAX_RUNNER_NAME_LENGTH ||
    !name.startsWith(prefix)
  )
    throw new BrokerError(
      400,
      `'name' must start with '${prefix}' and be up to ${MAX_RUNNER_NAME_LENGTH} letters, digits, '.', '_' or '-'`
    )
  return name
}

function rowOf(
  policy: RunnerPolicy,
  claims: Claims,
  runner: { id: number; name: string },
  now: number
): RegisteredRunnerRow {
  return {
    runnerId: runner.id,
    runnerName: runner.name,
    owner: policy.grant.owner,
    repository: policy.grant.repository,
    ...callerOf(claims),
    policy: policy.name,
    createdAt: new Date(now).toISOString()
  }
}

function runnerAudit(policy: Policy, runner: { id: number; name: string }) {
  return { policy: policy.name, runnerId: runner.id, runnerName: runner.name }
}

export function callerOf(claims: Claims): { issuer: string; subject: string } {
  return { issuer: String(claims.iss), subject: String(claims.sub) }
}

export function scopeOf(row: RegisteredRunnerRow): RunnerScope {
  return row.repository
    ? { kind: 'repo', owner: row.owner, repo: row.repository }
    : { kind: 'org', org: row.owner }
}

/** Work on a recorded runner with an intermediate token that has only the runner permission. */
export function withAdmin<T>(
  ctx: RouteContext,
  row: RegisteredRunnerRow,
  use: Parameters<typeof withRunnerAdminToken<T>>[2]
): Promise<T> {
  const scope = scopeOf(row)
  const target = { owner: row.owner, repositories: row.repository ? [row.repository] : undefined }
  return withRunnerAdminToken(
    ctx.deps,
    { app: ctx.config.app, target, apiUrl: ctx.config.apiUrl, summary: false, scope },
    use
  )
}

const numeric = (value: unknown) =>
  (typeof value === 'string' || typeof value === 'number') && /^\d{1,13}$/.test(String(value))
    ? String(value)
    : undefined
