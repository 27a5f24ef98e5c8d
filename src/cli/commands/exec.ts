import type { InstallationToken } from '../../lib/installation/create-installation-token.js'
import { revokeInstallationToken } from '../../lib/installation/revoke-installation-token.js'
import { mintCredential } from '../../lib/mint/mint-credential.js'
import { describeRequestError } from '../../lib/transport/describe-request-error.js'
import { CREDENTIAL_FLAGS, SCOPE_FLAGS } from '../args/flags.js'
import type { FlagValues } from '../args/parse-command-line.js'
import { parseTokenRequest } from '../args/parse-token-request.js'
import { UsageError } from '../seam/errors.js'
import { quoteInput } from '../../lib/text/quote-input.js'
import type { Command, CommandContext } from './command.js'
import { installationPublisher } from '../../lib/mint/deliver-publishers.js'
import { childEnv, runChild, signalExitCode, trapSignals } from './run-child.js'

const DEFAULT_VARIABLES = ['GH_TOKEN', 'GITHUB_TOKEN']

/** `mint-token exec -- CMD`: the token only in CMD's environment, revoked when CMD ends. */
export const execCommand: Command = {
  name: 'exec',
  summary: 'Run a command with a token in its environment only; revoke it when the command ends.',
  usage: '[token flags] [--env GH_TOKEN,GITHUB_TOKEN] [--no-revoke] -- CMD [ARGS…]',
  flags: [
    ...CREDENTIAL_FLAGS,
    ...SCOPE_FLAGS,
    { name: 'owners', type: 'string', value: 'A,B', help: 'refused: CMD gets one token' },
    {
      name: 'env',
      type: 'string',
      value: 'A,B',
      help: 'variables that get the token (default GH_TOKEN,GITHUB_TOKEN)'
    },
    { name: 'no-revoke', type: 'boolean', help: 'leave the token valid when CMD ends' }
  ],
  details: `Nothing is printed on stdout but CMD's own output. SIGINT and SIGTERM are forwarded to CMD;
mint-token exits with CMD's exit code (128 + the signal's number when CMD was killed).

Example:
  mint-token exec --owner octo-org --repositories app --permissions issues:write -- gh issue list -R octo-org/app`,
  run: async (values, rest, ctx) => {
    if (values.owners !== undefined)
      throw new UsageError(
        "--owners mints several tokens, and CMD's environment takes one: run 'mint-token exec --owner OWNER' once per owner, or 'mint-token token --owners' for the map."
      )
    if (!rest || rest.length === 0)
      throw new UsageError(
        "No command to run: put it after '--', e.g. 'mint-token exec --owner O -- gh repo list'."
      )
    const variables = parseVariables(values)
    const request = await parseTokenRequest(values, ctx.io, ctx.deps, { rateLimit: false })
    const trap = trapSignals()
    try {
      let minted: InstallationToken | undefined
      await mintCredential(
        ctx.deps,
        request,
        installationPublisher((_r, m) => (minted = m))
      )
      const token = minted!.token
      const code = trap.received
        ? signalExitCode(trap.received)
        : await runChild(rest, childEnv(ctx.io.env, variables, token), trap, (line) =>
            ctx.deps.log.error(line)
          )
      if (values['no-revoke'] !== true) await revokeAfter(ctx, request.apiUrl, token)
      return code
    } finally {
      trap.release()
    }
  }
}

function parseVariables(values: FlagValues): string[] {
  if (typeof values.env !== 'string') return DEFAULT_VARIABLES
  const names = values.env
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  const bad = names.find((name) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
  if (names.length === 0 || bad !== undefined)
    throw new UsageError(
      `--env is ${quoteInput(values.env)}; expected variable names separated by commas, e.g. GH_TOKEN,GITHUB_TOKEN.`
    )
  return names
}

/** A failed revocation is a warning: CMD's exit code is what the caller asked for. */
async function revokeAfter({ deps }: CommandContext, apiUrl: string, token: string) {
  try {
    const outcome = await revokeInstallationToken(
      { github: deps.github.forCleanup() },
      apiUrl,
      token
    )
    deps.log.info(
      outcome === 'revoked'
        ? 'Revoked the token.'
        : 'The token had already expired or been revoked.'
    )
  } catch (error) {
    deps.log.warning(
      `Could not revoke the token (${describeRequestError(error)}); it expires by itself within the hour.`
    )
  }
}
