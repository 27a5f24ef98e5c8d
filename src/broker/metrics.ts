/**
 * The broker's /metrics in Prometheus' text format (version 0.0.4): requests by route and
 * outcome, mint latency (GitHub's part of a request), JWKS fetches. Written here: three families
 * do not call for a client library and its registry.
 */
export interface Metrics {
  request(route: string, status: number): void
  mint(seconds: number): void
  keysFetched(issuer: string): void
  render(): string
}

const BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

export function createMetrics(): Metrics {
  const requests = new Map<string, number>()
  const fetches = new Map<string, number>()
  const mints = { buckets: BUCKETS.map(() => 0), count: 0, sum: 0 }
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)
  return {
    request: (route, status) => bump(requests, `route="${route}",status="${status}"`),
    mint: (seconds) => {
      BUCKETS.forEach((le, i) => {
        if (seconds <= le) mints.buckets[i]!++
      })
      mints.count++
      mints.sum += seconds
    },
    keysFetched: (issuer) => bump(fetches, `issuer="${escapeLabel(issuer)}"`),
    render: () =>
      [
        '# HELP mint_token_broker_requests_total Requests by route and HTTP status.',
        '# TYPE mint_token_broker_requests_total counter',
        ...[...requests].map(([labels, n]) => `mint_token_broker_requests_total{${labels}} ${n}`),
        '# HELP mint_token_broker_mint_seconds Time spent minting at GitHub per request.',
        '# TYPE mint_token_broker_mint_seconds histogram',
        ...BUCKETS.map(
          (le, i) => `mint_token_broker_mint_seconds_bucket{le="${le}"} ${mints.buckets[i]}`
        ),
        `mint_token_broker_mint_seconds_bucket{le="+Inf"} ${mints.count}`,
        `mint_token_broker_mint_seconds_sum ${mints.sum}`,
        `mint_token_broker_mint_seconds_count ${mints.count}`,
        '# HELP mint_token_broker_jwks_fetches_total Fetches of an issuer’s signing keys.',
        '# TYPE mint_token_broker_jwks_fetches_total counter',
        ...[...fetches].map(
          ([labels, n]) => `mint_token_broker_jwks_fetches_total{${labels}} ${n}`
        ),
        ''
      ].join('\n')
  }
}

/** Label values are configured issuer URLs, escaped as the format requires all the same. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}
