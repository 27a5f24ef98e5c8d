import type { ActionContext } from '../action-context.js'
import { InputError } from '../../lib/input-error.js'
import { parseApiUrl } from './parse-api-url.js'

export interface RevokeInputs {
  token: string
  apiUrl: string
}

/** The revoke sub-action's inputs, read once. The token is masked before anything can print it. */
export function parseRevokeInputs(ctx: Pick<ActionContext, 'core' | 'run'>): RevokeInputs {
  const { core, run } = ctx
  const token = core.getInput('token')
  if (token) core.setSecret(token)
  if (!token) {
    throw new InputError(
      "Input 'token' is empty. Pass the installation token to revoke, e.g. 'token: ${{ steps.app-token.outputs.token }}' of a step that minted it with 'revoke: false'."
    )
  }
  if (/\s/.test(token)) {
    throw new InputError("Input 'token' contains whitespace or a line break; pass the token alone.")
  }
  return { token, apiUrl: parseApiUrl(core.getInput('github-api-url') || run.apiUrl) }
}
