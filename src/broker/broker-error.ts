/**
 * A refusal with its HTTP status and reason, as the caller gets it ({"error": reason}) and the
 * audit trail records it. Reasons never hold a token, a key or a JIT configuration.
 */
export class BrokerError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 502 | 503,
    message: string
  ) {
    super(message)
    this.name = 'BrokerError'
  }
}
