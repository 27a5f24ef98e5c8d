interface MaybeRequestError {
  status?: unknown
  response?: unknown
}

/** What GitHub said, in one line, without anything from the request (which carries credentials). */
export function describeRequestError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  // A network failure also carries status 500 but no response: report it as what it was.
  const answered = (error as MaybeRequestError | null)?.response !== undefined
  return answered ? `HTTP ${httpStatus(error)}: ${message}` : message
}

export function httpStatus(error: unknown): number | undefined {
  const status = (error as MaybeRequestError | null)?.status
  return typeof status === 'number' ? status : undefined
}
