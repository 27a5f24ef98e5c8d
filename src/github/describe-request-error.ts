import { neutralize } from '../text/neutralize.js'

interface MaybeRequestError {
  status?: unknown
  response?: unknown
}

/**
 * Our own messages are longer than a foreign text may be (they say what to fix), but are still
 * flattened: whatever they quote must not start a workflow command on a line of its own.
 */
const OWN_MESSAGE_LIMIT = 2000

/**
 * What GitHub said, in one line, without anything from the request (which carries credentials).
 * GitHub's message (or whatever body a proxy sent, which octokit turns into the message) is
 * foreign: it is neutralized and capped.
 */
export function describeRequestError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  // A network failure also carries status 500 but no response: report it as what it was.
  const answered = (error as MaybeRequestError | null)?.response !== undefined
  return answered
    ? `HTTP ${httpStatus(error)}: ${neutralize(message)}`
    : neutralize(message, OWN_MESSAGE_LIMIT)
}

export function httpStatus(error: unknown): number | undefined {
  const status = (error as MaybeRequestError | null)?.status
  return typeof status === 'number' ? status : undefined
}
