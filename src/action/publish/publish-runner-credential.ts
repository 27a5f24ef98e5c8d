import type {
  RunnerJitRequest,
  RunnerRegistrationRequest,
  RunnerScope
} from '../../lib/requests.js'
import type { ActionContext } from '../action-context.js'
import { handoffStateEntry, type HandedOff } from '../../lib/handoff/hand-off.js'
import { tokenHash } from '../../lib/installation/token-hash.js'
import { describeExpiry } from './describe-expiry.js'
import { publish } from './publish.js'
import type { SummaryValue } from './summary-value.js'
import { neutralize } from '../../lib/text/neutralize.js'
import type { RegistrationToken } from '../../lib/runners/create-registration-token.js'
import type { JitRunner } from '../../lib/runners/create-jit-runner.js'
import { jitConfigSecrets } from '../../lib/runners/jit-config-secrets.js'
import { runnersPageUrl } from '../../lib/runners/runners-page-url.js'

/** What the post step needs to find the runner again; no secret in it. */
export interface RunnerState {
  kind: 'runner-registration' | 'runner-jit'
  cleanup: string
  runnerId?: number
  runnerName?: string
  expiresAt?: string
  summary: boolean
}

const where = (scope: RunnerScope) =>
  scope.kind === 'org' ? `organization ${scope.org}` : `repository ${scope.owner}/${scope.repo}`

const runnersLink = (ctx: ActionContext, inputs: RunnerRegistrationRequest): SummaryValue => ({
  text: 'Settings → Actions → Runners',
  href: runnersPageUrl(ctx.run, inputs.apiUrl, { scope: inputs.scope })
})

export async function publishRegistrationToken(
  ctx: ActionContext,
  inputs: RunnerRegistrationRequest,
  minted: RegistrationToken,
  handedOff: HandedOff
) {
  const state: RunnerState = {
    kind: 'runner-registration',
    cleanup: 'never',
    expiresAt: minted.expiresAt,
    summary: inputs.summary
  }
  const hash = tokenHash(minted.token)
  await publish(ctx, {
    secrets: [minted.token],
    outputs: {
      token: minted.token,
      'expires-at': minted.expiresAt,
      'runner-url': inputs.runnerUrl,
      'token-hash': hash,
      ...handedOff.outputs
    },
    exports: handedOff.exports,
    paths: handedOff.paths,
    state: { runner: JSON.stringify(state), ...handoffStateEntry(handedOff) },
    summary: inputs.summary
      ? {
          title: 'mint-token: runner registration token',
          rows: [
            ['Scope', where(inputs.scope)],
            ['Runner URL', inputs.runnerUrl],
            ['Runners', runnersLink(ctx, inputs)],
            ['Expires', describeExpiry(minted.expiresAt, ctx.github.clock.now())],
            ['Token hash (audit log)', { code: hash }],
            ...handedOff.rows
          ]
        }
      : undefined
  })
  ctx.core.info(
    `Minted a runner registration token for ${where(inputs.scope)}; it expires at ${minted.expiresAt}.`
  )
}

/**
 * Saved (masked first) as soon as the runner is registered: if the job is cancelled during the
 * hand-off and main cannot remove it, the post step does. Its configuration reached nobody yet,
 * so until publishJitConfig saves the workflow's 'runner-cleanup', the runner goes in any case.
 */
export async function publishRunnerState(
  ctx: ActionContext,
  inputs: RunnerJitRequest,
  jit: JitRunner
) {
  const state: RunnerState = {
    kind: 'runner-jit',
    cleanup: 'always',
    runnerId: jit.runner.id,
    runnerName: jit.runner.name,
    summary: inputs.summary
  }
  await publish(ctx, {
    secrets: jitConfigSecrets(jit.encodedJitConfig),
    outputs: {},
    state: { runner: JSON.stringify(state) }
  })
}

export async function publishJitConfig(
  ctx: ActionContext,
  inputs: RunnerJitRequest,
  jit: JitRunner,
  handedOff: HandedOff
) {
  const { runner } = jit
  const pageOf = (runnerId: number) =>
    runnersPageUrl(ctx.run, inputs.apiUrl, { scope: inputs.scope, runnerId })
  const state: RunnerState = {
    kind: 'runner-jit',
    cleanup: inputs.jit.cleanup,
    runnerId: runner.id,
    runnerName: runner.name,
    summary: inputs.summary
  }
  await publish(ctx, {
    secrets: jitConfigSecrets(jit.encodedJitConfig),
    outputs: {
      'jit-config': jit.encodedJitConfig,
      'runner-id': String(runner.id),
      'runner-name': runner.name,
      'runner-url': inputs.runnerUrl,
      ...handedOff.outputs
    },
    exports: handedOff.exports,
    paths: handedOff.paths,
    state: { runner: JSON.stringify(state), ...handoffStateEntry(handedOff) },
    summary: inputs.summary
      ? {
          title: 'mint-token: just-in-time runner',
          rows: [
            ['Scope', where(inputs.scope)],
            ['Runner', [{ code: runner.name, href: pageOf(runner.id) }, ` (id ${runner.id})`]],
            ['Labels', inputs.jit.labels.join(', ')],
            ['Group', `${jit.group.name} (id ${jit.group.id})`],
            ['Cleanup', inputs.jit.cleanup],
            ['Expires', 'when the runner finishes one job (ephemeral)'],
            ...handedOff.rows
          ]
        }
      : undefined
  })
  ctx.core.info(
    `Registered just-in-time runner ${neutralize(runner.name)} (id ${runner.id}) with ${where(inputs.scope)}.`
  )
}
