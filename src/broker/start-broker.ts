import type { AddressInfo } from 'node:net'
import type { Log } from '../lib/log.js'
import type { Deps } from '../lib/seam/deps.js'
import { proxyFetchFor } from '../lib/transport/proxy-fetch-for.js'
import type { BrokerConfig } from './config.js'
import { createMetrics } from './metrics.js'
import { createVerifier } from './oidc.js'
import { createBrokerServer } from './server.js'
import { openStore } from './store/open-store.js'
import { schedulePrune } from './prune-schedule.js'

/** GitHub's part of one request may take this long, retries included. */
const REQUEST_BUDGET_MS = 20_000

/** A broker cancels nothing on a signal: it stops listening and lets requests in flight finish. */
const NEVER_CANCELLED = { signal: new AbortController().signal, listen: () => () => {} }

export interface RunningBroker {
  url: string
  /** Stops accepting, waits for requests in flight, closes the database. */
  close(): Promise<void>
}

/**
 * Opens the store, builds the verifier and starts listening. Every request gets the library's
 * deps with a retry budget of its own (the process's clients, clock and proxy settings shared).
 */
export async function startBroker(
  config: BrokerConfig,
  deps: Deps,
  options: { host: string; port: number; tls?: { cert: string; key: string }; log: Log }
): Promise<RunningBroker> {
  const store = await openStore(config.database, deps.now)
  const metrics = createMetrics()
  const verifier = createVerifier({
    issuers: config.issuers,
    audience: config.audience,
    now: deps.now,
    fetchFor: proxyFetchFor,
    onKeysFetched: (issuer) => metrics.keysFetched(issuer),
    claimJti: (issuer, jti, expiresAt) => store.claimJti(issuer, jti, expiresAt)
  })
  const contextFor = () => ({
    config,
    store,
    metrics,
    deps: {
      ...deps,
      github: deps.github.withBudget(REQUEST_BUDGET_MS),
      cancellation: NEVER_CANCELLED
    }
  })
  const server = createBrokerServer({
    contextFor,
    verifier,
    log: options.log,
    now: deps.now,
    tls: options.tls
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const prune = config.prune ? schedulePrune(contextFor, config.prune, options.log) : undefined
  const { port } = server.address() as AddressInfo
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    close: async () => {
      prune?.stop()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      await closed
      await store.close()
    }
  }
}
