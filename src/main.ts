import { createContext } from './context.js'
import { describeRequestError } from './github/describe-request-error.js'
import { mint } from './mint.js'

const ctx = createContext()
try {
  await mint(ctx)
} catch (error) {
  ctx.core.setFailed(describeRequestError(error))
}
