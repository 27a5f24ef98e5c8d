import * as core from '@actions/core'
import { context } from '@actions/github'
import { createActionContext, runInfoOf } from '../action-context.js'
import { describeRequestError } from '../../lib/transport/describe-request-error.js'
import { revokeGivenToken } from './revoke-given-token.js'

/** The revoke sub-action (revoke/action.yml): revoke one token now; a failure fails the step. */
export async function run(): Promise<void> {
  const ctx = createActionContext({ core, run: runInfoOf(context) })
  try {
    await revokeGivenToken(ctx)
  } catch (error) {
    core.setFailed(describeRequestError(error))
  }
}
