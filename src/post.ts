import { createContext } from './context.js'
import { cleanup } from './cleanup.js'
import { describeRequestError } from './github/describe-request-error.js'

const ctx = createContext()
cleanup(ctx).catch((error: unknown) =>
  // Cleanup must never fail the job: whatever went wrong, say so and move on.
  ctx.core.warning(`mint-token cleanup did not finish (${describeRequestError(error)}).`)
)
