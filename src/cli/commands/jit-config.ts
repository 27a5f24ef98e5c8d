import { writeTokenFile } from '../../lib/handoff/write-token-file.js'
import { cliField } from '../../lib/field.js'
import { mintCredential } from '../../lib/mint/mint-credential.js'
import type { RunnerJitRequest } from '../../lib/requests.js'
import type { JitRunner } from '../../lib/runners/create-jit-runner.js'
import { jitConfigSecrets } from '../../lib/runners/jit-config-secrets.js'
import { removeRegisteredRunner } from '../../lib/runners/remove-registered-runner.js'
import { withRunnerAdminToken } from '../../lib/runners/with-runner-admin-token.js'
import { neutralize } from '../../lib/text/neutralize.js'
import { describeRequestError } from '../../lib/transport/describe-request-error.js'
import { CREDENTIAL_FLAGS, RUNNER_HOME_FLAGS, type Flag } from '../args/flags.js'
import type { FlagValues } from '../args/parse-command-line.js'
import { parseDelivery, TOKEN_FILE_FIELD } from '../args/parse-delivery.js'
import { parseJitRequest } from '../args/parse-runner-request.js'
import { EXIT, UsageError } from '../seam/errors.js'
import type { Command, CommandContext } from './command.js'
import { jitPublisher } from '../../lib/mint/deliver-publishers.js'
import { childEnv, runChild, signalExitCode, trapSignals } from './run-child.js'

/** Where CMD finds the configuration, as `run.sh --jitconfig "$MINT_TOKEN_JIT_CONFIG"` reads it. */
export const JIT_CONFIG_VARIABLE = 'MINT_TOKEN_JIT_CONFIG'

const FLAGS: Flag[] = [
  ...CREDENTIAL_FLAGS,
  ...RUNNER_HOME_FLAGS,
  {
    name: 'labels',
    type: 'string',
    value: 'A,B',
    help: "the runner's labels, sent exactly as given (every one your runs-on uses)"
  },
  { name: 'group', type: 'string', value: 'ID|NAME', help: 'an organization runner group' },
  { name: 'name', type: 'string', value: 'NAME', help: "the runner's whole name" },
  {
    name: 'name-prefix',
    type: 'string',
    value: 'PREFIX',
    help: 'the start of a generated, unique name (default mint-token)'
  },
  {
    name: 'work-folder',
    type: 'string',
    value: 'DIR',
    help: "relative to the runner's directory (default _work)"
  },
  {
    name: 'token-file',
    type: 'string',
    value: 'PATH',
    help: 'write the encoded configuration to a new file (0600)'
  },
  {
    name: 'print-token',
    type: 'boolean',
    help: 'print the bare encoded configuration, for a pipe'
  },
  { name: 'force', type: 'boolean', help: 'allow --print-token on a terminal' },
  {
    name: 'cleanup',
    type: 'string',
    value: 'WHEN',
    help: 'with -- CMD: after CMD, remove the runner if-unused (default), always or never'
  }
]

/** How the configuration leaves: a file, stdout, or a command's environment. */
type JitDelivery =
  { kind: 'file'; path: string } | { kind: 'print' } | { kind: 'command'; argv: string[] }

/**
 * `mint-token jit-config`: registers a just-in-time runner and hands its encoded configuration
 * (the runner's credentials) to exactly one place. JSON on stdout says which runner it is.
 */
export const jitConfigCommand: Command = {
  name: 'jit-config',
  summary: 'Register a just-in-time runner; its configuration goes to a file, a pipe or a command.',
  usage:
    '--owner ORG [--repository NAME] --labels A,B [--group G] [--name N | --name-prefix P] [--work-folder F] (--token-file PATH | --print-token | -- CMD [ARGS…])',
  flags: FLAGS,
  details: `The encoded configuration is the runner's credential: it goes only where one of these says.
  --token-file PATH   a new 0600 file; stdout gets {runner_id, runner_name, url, labels, group, config_file}
  --print-token       the bare configuration on stdout, for a pipe (refused on a terminal without --force)
  -- CMD [ARGS…]      CMD runs with it in ${JIT_CONFIG_VARIABLE} (and without the App's key); mint-token
                      exits with CMD's exit code, then removes the runner as --cleanup says
Names are generated as the action's: PREFIX-CREATED-local-1-RANDOM, so 'mint-token runners prune'
reads their age. The installation needs organization_self_hosted_runners: write (administration:
write for a repository); an intermediate token with only that permission is minted and revoked.

Examples:
  mint-token jit-config --owner octo-org --labels self-hosted,linux --token-file ./jit
  mint-token jit-config --owner octo-org --labels self-hosted,gpu -- sh -c './run.sh --jitconfig "$${JIT_CONFIG_VARIABLE}"'`,
  run: async (values, rest, ctx) => {
    const delivery = parseJitDelivery(values, rest, ctx)
    const request = await parseJitRequest(values, ctx.io, ctx.deps)
    if (delivery.kind === 'command' && typeof values.cleanup !== 'string')
      request.jit.cleanup = 'if-unused'
    // Trapped from before the registration: a signal then must not leave a runner behind.
    const trap = delivery.kind === 'command' ? trapSignals() : undefined
    try {
      let registered: JitRunner | undefined
      await mintCredential(
        ctx.deps,
        request,
        jitPublisher(
          (jit) => jitConfigSecrets(jit.encodedJitConfig).forEach((s) => ctx.deps.log.mask(s)),
          (_r, jit) => {
            registered = jit
            deliver(ctx, delivery, request, jit)
          }
        )
      )
      if (delivery.kind !== 'command' || !trap) return EXIT.ok
      const jit = registered!
      const code = trap.received
        ? signalExitCode(trap.received)
        : await runChild(
            delivery.argv,
            childEnv(ctx.io.env, [JIT_CONFIG_VARIABLE], jit.encodedJitConfig),
            trap,
            (line) => ctx.deps.log.error(line)
          )
      await cleanUpAfter(ctx, request, jit)
      return code
    } finally {
      trap?.release()
    }
  }
}

/** Exactly one place for the configuration, checked before the runner is registered. */
function parseJitDelivery(
  values: FlagValues,
  rest: string[] | undefined,
  ctx: CommandContext
): JitDelivery {
  const chosen = [
    typeof values['token-file'] === 'string' && '--token-file',
    values['print-token'] === true && '--print-token',
    rest !== undefined && '-- CMD'
  ].filter((flag): flag is string => flag !== false)
  if (chosen.length !== 1) {
    const problem =
      chosen.length === 0
        ? 'Nothing says where the runner configuration goes'
        : `${chosen.join(' and ')} both say where the runner configuration goes`
    throw new UsageError(
      `${problem}; choose one of --token-file PATH, --print-token, or -- CMD (which gets it as ${JIT_CONFIG_VARIABLE}).`
    )
  }
  if (rest !== undefined) {
    if (rest.length === 0)
      throw new UsageError(
        "No command after '--': e.g. 'mint-token jit-config … -- ./run.sh --jitconfig \"$MINT_TOKEN_JIT_CONFIG\"'."
      )
    return { kind: 'command', argv: rest }
  }
  if (typeof values.cleanup === 'string')
    throw new UsageError(
      '--cleanup applies only with -- CMD: without a command, mint-token exits once the configuration is delivered.'
    )
  const delivery = parseDelivery(values, ctx.io)
  if (delivery.kind === 'file') return delivery
  return { kind: 'print' }
}

function deliver(
  ctx: CommandContext,
  delivery: JitDelivery,
  request: RunnerJitRequest,
  jit: JitRunner
): void {
  const { runner } = jit
  const which = `runner ${neutralize(runner.name)} (id ${runner.id})`
  const result: Record<string, unknown> = {
    runner_id: runner.id,
    runner_name: runner.name,
    url: request.runnerUrl,
    labels: request.jit.labels,
    group: { id: jit.group.id, name: jit.group.name }
  }
  if (delivery.kind === 'file') {
    const spec = { kind: 'path' as const, path: delivery.path }
    const { path } = writeTokenFile(spec, jit.encodedJitConfig, { field: TOKEN_FILE_FIELD })
    result.config_file = path
    ctx.deps.log.info(
      `Registered ${which}; wrote its configuration to ${neutralize(path)} (mode 0600).`
    )
    ctx.io.stdout.write(`${JSON.stringify(result)}\n`)
    return
  }
  if (delivery.kind === 'print') {
    ctx.deps.log.info(`Registered ${which}; its configuration follows on standard output.`)
    ctx.io.stdout.write(`${jit.encodedJitConfig}\n`)
    return
  }
  ctx.deps.log.info(`Registered ${which}; starting the command with ${JIT_CONFIG_VARIABLE}.`)
}

/** After CMD, the runner goes as --cleanup says; a failure is a warning, CMD's code stands. */
async function cleanUpAfter(ctx: CommandContext, request: RunnerJitRequest, jit: JitRunner) {
  const { deps } = ctx
  const label = `runner ${neutralize(jit.runner.name)} (id ${jit.runner.id})`
  const cleanup = request.jit.cleanup
  if (cleanup === 'never') {
    deps.log.info(`Leaving ${label} registered (--cleanup never).`)
    return
  }
  try {
    const cleanupDeps = { ...deps, github: deps.github.forCleanup() }
    const runner = { runnerId: jit.runner.id, runnerName: jit.runner.name, cleanup }
    const outcome = await withRunnerAdminToken(cleanupDeps, request, (github) =>
      removeRegisteredRunner(github, request.scope, { ...runner, cleanupField: CLEANUP_FIELD })
    )
    deps.log.info(`${outcome.replace('{runner}', label)}.`)
  } catch (error) {
    deps.log.warning(`Could not remove ${label} (${describeRequestError(error)}).`)
  }
}

const CLEANUP_FIELD = cliField('--cleanup')
