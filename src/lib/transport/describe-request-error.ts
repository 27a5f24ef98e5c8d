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
  return wasAnswered(error)
    ? `HTTP ${httpStatus(error)}: ${neutralize(message)}`
    : neutralize(message, OWN_MESSAGE_LIMIT)
}

/**
 * Whether GitHub (or something in its place) answered. A network failure also carries status 500
 * but no response: it is reported as what it was, and the request may have taken effect.
 */
export function wasAnswered(error: unknown): boolean {
  return (error as MaybeRequestError | null)?.response !== undefined
}

export function httpStatus(error: unknown): number | undefined {
  const status = (error as MaybeRequestError | null)?.status
  return typeof status === 'number' ? status : undefined
}
