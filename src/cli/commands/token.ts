import { writeTokenFile } from '../../lib/handoff/write-token-file.js'
import type { InstallationToken } from '../../lib/installation/create-installation-token.js'
import { mintCredential, type TokenExtras } from '../../lib/mint/mint-credential.js'
import { neutralize } from '../../lib/text/neutralize.js'
import { CREDENTIAL_FLAGS, SCOPE_FLAGS } from '../args/flags.js'
import { parseDelivery, TOKEN_FILE_FIELD, type Delivery } from '../args/parse-delivery.js'
import { parseTokenRequest } from '../args/parse-token-request.js'
import { EXIT } from '../seam/errors.js'
import { tokenResult } from '../output/token-result.js'
import type { Command, CommandContext } from './command.js'
import { installationPublisher } from './publisher.js'

/** `mint-token token`: an installation token, delivered where the flags say. */
export const tokenCommand: Command = {
  name: 'token',
  summary: 'Mint an installation token; prints what it is, not the token, unless asked.',
  usage: '[--owner O] [--repositories A,B] [--permissions P:L,…] [delivery]',
  flags: [
    ...CREDENTIAL_FLAGS,
    ...SCOPE_FLAGS,
    {
      name: 'token-file',
      type: 'string',
      value: 'PATH',
      help: 'write the token to a new file (0600)'
    },
    { name: 'print-token', type: 'boolean', help: 'print the bare token, for a pipe' },
    { name: 'output', type: 'string', value: 'FORMAT', help: 'json (default) or json-with-token' },
    {
      name: 'force',
      type: 'boolean',
      help: 'allow --print-token or json-with-token on a terminal'
    },
    {
      name: 'rate-limit',
      type: 'boolean',
      help: "add the new token's rate_limit (GET /rate_limit)"
    }
  ],
  details: `Output (stdout, one JSON object): token_masked, token_hash, expires_at, installation_id,
app_slug, repositories, permissions (and token_file, rate_limit, token when asked).

Examples:
  mint-token token --owner octo-org --repositories app --permissions contents:read --token-file ./gh-token
  mint-token token --owner octo-org --print-token | gh auth login --with-token`,
  run: async (values, _rest, ctx) => {
    const delivery = parseDelivery(values, ctx.io)
    const rateLimit = values['rate-limit'] === true
    const request = await parseTokenRequest(values, ctx.io, ctx.deps, { rateLimit })
    const deliver = (minted: InstallationToken, extras: TokenExtras) =>
      deliverToken(ctx, delivery, minted, extras)
    await mintCredential(
      ctx.deps,
      request,
      installationPublisher((_r, m, e) => deliver(m, e))
    )
    return EXIT.ok
  }
}

function deliverToken(
  { io, deps }: CommandContext,
  delivery: Delivery,
  minted: InstallationToken,
  extras: TokenExtras
): void {
  const result: Record<string, unknown> = tokenResult(minted, extras)
  const expiry = `expires at ${minted.expiresAt}`
  if (delivery.kind === 'file') {
    const spec = { kind: 'path' as const, path: delivery.path }
    const { path } = writeTokenFile(spec, minted.token, { field: TOKEN_FILE_FIELD })
    result.token_file = path
    deps.log.info(`Wrote the token to ${neutralize(path)} (mode 0600); it ${expiry}.`)
  }
  if (delivery.kind === 'print') {
    deps.log.info(`Minted a token (${String(result.token_masked)}); it ${expiry}.`)
    io.stdout.write(`${minted.token}\n`)
    return
  }
  if (delivery.kind === 'json-with-token') result.token = minted.token
  io.stdout.write(`${JSON.stringify(result)}\n`)
}
