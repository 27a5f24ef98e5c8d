import * as core from '@actions/core'
import { context } from '@actions/github'
import { createActionContext, idTokenOf, runInfoOf } from '../action-context.js'
import { describeRequestError } from '../../lib/transport/describe-request-error.js'
import { mint } from './mint.js'

/** The main step: mint, publish, and turn any error into one ::error:: line and exit code 1. */
export async function run(): Promise<void> {
  const ctx = createActionContext({ core, run: runInfoOf(context), idToken: idTokenOf(core) })
  try {
    await mint(ctx)
  } catch (error) {
    // One line, flattened and capped: the message may quote GitHub's reply or an input.
    core.setFailed(describeRequestError(error))
  }
  // After a cancel, requests the step no longer waits for may still hold it open; what they were
  // for is undone (see withRollback).
  if (ctx.cancellation.signal.aborted) process.exit()
}
