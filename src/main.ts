import { createContext } from './context.js'
import { describeRequestError } from './github/describe-request-error.js'
import { mint } from './mint.js'

const ctx = createContext()
mint(ctx).catch((error: unknown) => ctx.core.setFailed(describeRequestError(error)))
