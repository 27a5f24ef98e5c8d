import { mintCredential } from '../../lib/mint/mint-credential.js'
import type { RunnerRegistrationRequest } from '../../lib/requests.js'
import type { RegistrationToken } from '../../lib/runners/create-registration-token.js'
import { CREDENTIAL_FLAGS, RUNNER_HOME_FLAGS, DELIVERY_FLAGS } from '../args/flags.js'
import { parseDelivery, type Delivery } from '../args/parse-delivery.js'
import { deliverSecret } from '../output/deliver.js'
import { parseRunnerRequest } from '../args/parse-runner-request.js'
import { EXIT } from '../seam/errors.js'
import { maskToken } from '../output/token-result.js'
import type { Command, CommandContext } from './command.js'
import { registrationPublisher } from '../../lib/mint/deliver-publishers.js'

/** `mint-token runner-token`: a registration token for config.sh, delivered where the flags say. */
export const runnerTokenCommand: Command = {
  name: 'runner-token',
  summary: 'Mint a runner registration token for config.sh; prints what it is, not the token.',
  usage: '--owner ORG [--repository NAME] [delivery]',
  flags: [...CREDENTIAL_FLAGS, ...RUNNER_HOME_FLAGS, ...DELIVERY_FLAGS],
  details: `Output (stdout, one JSON object): token_masked, expires_at, url, configuration_command
(the token in it as *** unless --output json-with-token asks for the token; then also token).
The installation needs organization_self_hosted_runners: write (administration: write for a
repository); an intermediate token with only that permission is minted and revoked.

Examples:
  mint-token runner-token --owner octo-org --token-file ./runner-token
  mint-token runner-token --owner octo-org --repository app --output json-with-token > runner.json`,
  run: async (values, _rest, ctx) => {
    const delivery = parseDelivery(values, ctx.io)
    const request = await parseRunnerRequest(values, ctx.io, ctx.deps)
    await mintCredential(
      ctx.deps,
      request,
      registrationPublisher((r, minted) => deliverRegistrationToken(ctx, delivery, r, minted))
    )
    return EXIT.ok
  }
}

function deliverRegistrationToken(
  ctx: CommandContext,
  delivery: Delivery,
  request: RunnerRegistrationRequest,
  minted: RegistrationToken
): void {
  const command = (token: string) =>
    `./config.sh --url ${request.runnerUrl} --token ${token} --unattended`
  const result = {
    token_masked: maskToken(minted.token),
    expires_at: minted.expiresAt,
    url: request.runnerUrl,
    configuration_command: command(delivery.kind === 'json-with-token' ? minted.token : '***')
  }
  const secret = { value: minted.token, what: 'registration token', expiresAt: minted.expiresAt }
  deliverSecret(ctx, delivery, secret, result)
}
