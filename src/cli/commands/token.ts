import type { InstallationToken } from '../../lib/installation/create-installation-token.js'
import { mintCredential, type TokenExtras } from '../../lib/mint/mint-credential.js'
import { CREDENTIAL_FLAGS, DELIVERY_FLAGS, SCOPE_FLAGS } from '../args/flags.js'
import { parseDelivery, type Delivery } from '../args/parse-delivery.js'
import { deliverSecret } from '../output/deliver.js'
import { parseTokenRequest } from '../args/parse-token-request.js'
import { EXIT } from '../seam/errors.js'
import { tokenResult } from '../output/token-result.js'
import type { Command, CommandContext } from './command.js'
import { mintTokensForOwners } from './token-owners.js'
import { installationPublisher } from '../../lib/mint/deliver-publishers.js'

/** `mint-token token`: an installation token, delivered where the flags say. */
export const tokenCommand: Command = {
  name: 'token',
  summary: 'Mint an installation token; prints what it is, not the token, unless asked.',
  usage: '[--owner O] [--repositories A,B] [--permissions P:L,…] [delivery]',
  flags: [
    ...CREDENTIAL_FLAGS,
    ...SCOPE_FLAGS,
    ...DELIVERY_FLAGS,
    {
      name: 'rate-limit',
      type: 'boolean',
      help: "add the new token's rate_limit (GET /rate_limit)"
    },
    {
      name: 'owners',
      type: 'string',
      value: 'A,B',
      help: 'one token per owner (every repository of each); prints {"tokens": {OWNER: …}}'
    }
  ],
  details: `Output (stdout, one JSON object): token_masked, token_hash, expires_at, installation_id,
app_slug, repositories, permissions (and token_file, rate_limit, token when asked).

Examples:
  mint-token token --owner octo-org --repositories app --permissions contents:read --token-file ./gh-token
  mint-token token --owner octo-org --print-token | gh auth login --with-token`,
  run: async (values, _rest, ctx) => {
    if (values.owners !== undefined) return mintTokensForOwners(values, ctx)
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
  ctx: CommandContext,
  delivery: Delivery,
  minted: InstallationToken,
  extras: TokenExtras
): void {
  const secret = { value: minted.token, what: 'token', expiresAt: minted.expiresAt }
  deliverSecret(ctx, delivery, secret, tokenResult(minted, extras))
}
