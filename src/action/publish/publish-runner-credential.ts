import type {
  JitSettings,
  RunnerJitRequest,
  RunnerRegistrationRequest,
  RunnerScope
} from '../../lib/requests.js'
import type { ActionContext } from '../action-context.js'
import type { JitRunnerState } from '../state/minted-state.js'
import type { HandedOff } from '../../lib/handoff/hand-off.js'
import { tokenHash } from '../../lib/installation/token-hash.js'
import { describeExpiry } from './describe-expiry.js'
import { publish } from './publish.js'
import type { SummaryValue } from './summary-value.js'
import { neutralize } from '../../lib/text/neutralize.js'
import type { RegistrationToken } from '../../lib/runners/create-registration-token.js'
import type { JitRunner } from '../../lib/runners/create-jit-runner.js'
import { jitConfigSecrets } from '../../lib/runners/jit-config-secrets.js'
import { runnersPageUrl } from '../../lib/runners/runners-page-url.js'

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
    state: {
      runner: {
        kind: 'runner-registration',
        cleanup: 'never',
        expiresAt: minted.expiresAt,
        summary: inputs.summary
      },
      handoff: handedOff.state
    },
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
  await publish(ctx, {
    secrets: jitConfigSecrets(jit.encodedJitConfig),
    outputs: {},
    state: { runner: jitRunnerState(inputs, jit, 'always') }
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
    state: { runner: jitRunnerState(inputs, jit, inputs.jit.cleanup), handoff: handedOff.state },
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

/** The 'runner' key of a just-in-time runner: the post step removes it as `cleanup` says. */
function jitRunnerState(
  inputs: RunnerJitRequest,
  { runner }: JitRunner,
  cleanup: JitSettings['cleanup']
): JitRunnerState {
  const { summary } = inputs
  return { kind: 'runner-jit', cleanup, runnerId: runner.id, runnerName: runner.name, summary }
}
