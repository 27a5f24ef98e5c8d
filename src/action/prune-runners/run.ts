import * as core from '@actions/core'
import { context } from '@actions/github'
import { createActionContext, runInfoOf } from '../action-context.js'
import { describeRequestError } from '../../lib/transport/describe-request-error.js'
import { pruneRunnersStep } from './prune-runners-step.js'

/** The prune-runners sub-action (prune-runners/action.yml); any error fails the step. */
export async function run(): Promise<void> {
  const ctx = createActionContext({ core, run: runInfoOf(context) })
  try {
    await pruneRunnersStep(ctx)
  } catch (error) {
    core.setFailed(describeRequestError(error))
  }
}
