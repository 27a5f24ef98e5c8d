import * as core from '@actions/core'
import { context } from '@actions/github'
import { cleanup } from './cleanup.js'
import { createActionContext, idTokenOf, runInfoOf } from '../action-context.js'
import { describeRequestError } from '../../lib/transport/describe-request-error.js'

/** The post step: clean up. It never fails the job: whatever went wrong becomes a warning. */
export async function run(): Promise<void> {
  const ctx = createActionContext({ core, run: runInfoOf(context), idToken: idTokenOf(core) })
  try {
    await cleanup(ctx)
  } catch (error) {
    // describeRequestError flattens and caps the message, which may quote GitHub's reply.
    core.warning(`mint-token cleanup did not finish (${describeRequestError(error)}).`)
  }
}
