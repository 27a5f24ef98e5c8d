import { cliField } from '../../lib/field.js'
import { tokenHash } from '../../lib/installation/token-hash.js'
import { mintForOwners } from '../../lib/mint/mint-for-owners.js'
import { parseOwners } from '../../lib/parse/parse-owners.js'
import { parsePermissions } from '../../lib/permissions/parse-permissions.js'
import type { FlagValues } from '../args/parse-command-line.js'
import { parseCredentials } from '../args/parse-credentials.js'
import { maskToken } from '../output/token-result.js'
import { EXIT, UsageError } from '../seam/errors.js'
import type { CommandContext } from './command.js'

const OWNERS = cliField('--owners')

/** Flags that name one target, or hand one token on: with --owners there are several. */
const ONE_TOKEN_FLAGS = [
  'owner',
  'repositories',
  'installation-id',
  'enterprise',
  'token-file',
  'print-token',
  'rate-limit'
]

/**
 * `mint-token token --owners a,b`: one token per owner's installation, through the action's
 * library code (at most 4 mints at once; if one fails, those minted are revoked). stdout gets
 * {"tokens": {OWNER: {token_masked, token_hash, expires_at, installation_id, permissions}}}:
 * the tokens themselves only with --output json-with-token (then each entry has `token`), as a
 * map is no pipe for one bare token.
 */
export async function mintTokensForOwners(
  values: FlagValues,
  ctx: CommandContext
): Promise<number> {
  const given = ONE_TOKEN_FLAGS.find((name) => values[name] !== undefined)
  if (given)
    throw new UsageError(
      `--owners and --${given} are both given: --owners mints one token for every repository of each owner. Use one 'mint-token token' per owner for --${given}.`
    )
  const output = typeof values.output === 'string' ? values.output : 'json'
  if (!['json', 'json-with-token'].includes(output))
    throw new UsageError(`--output is '${output.slice(0, 50)}'; expected json or json-with-token.`)
  if (output === 'json-with-token' && ctx.io.stdout.isTTY && values.force !== true)
    throw new UsageError(
      '--output json-with-token would print the tokens on a terminal, where they stay in the scroll-back. Pipe or redirect standard output, or add --force.'
    )
  const owners = parseOwners(typeof values.owners === 'string' ? values.owners : '', OWNERS)
  const permissions = parsePermissions(
    typeof values.permissions === 'string' ? values.permissions : '',
    cliField('--permissions')
  )
  const { app, apiUrl } = await parseCredentials(values, ctx.io, ctx.deps)
  const fields = {
    owner: OWNERS,
    repositories: cliField('--repositories'),
    installationId: cliField('--installation-id'),
    permissions: cliField('--permissions'),
    app: '--app-id/--client-id'
  }
  await mintForOwners(
    ctx.deps,
    { owners, app, apiUrl, summary: false, permissions, revoke: false, fields },
    {
      tokenMinted: async () => {},
      tokens: async (minted) => {
        const tokens = Object.fromEntries(
          minted.map(({ owner, minted: m }) => [
            owner,
            {
              token_masked: maskToken(m.token),
              token_hash: tokenHash(m.token),
              expires_at: m.expiresAt,
              installation_id: m.installationId,
              permissions: m.permissions,
              ...(output === 'json-with-token' && { token: m.token })
            }
          ])
        )
        ctx.io.stdout.write(`${JSON.stringify({ tokens })}\n`)
        return Promise.resolve()
      },
      markUndone: () => {}
    }
  )
  return EXIT.ok
}
