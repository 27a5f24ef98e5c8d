// `npm run bench -- --broker`: the token broker (`mint-token serve`, dist/cli) under load. One
// broker process on SQLite, between the tests' OIDC issuer and the fake GitHub API answering each
// request 50 ms after it arrives (BENCH_LATENCY_MS). Callers POST /v1/token with a fresh OIDC token
// each (signed before the clock starts, so the bench's own signing is not measured), at 1, 8 and 32
// at a time. Printed per level: exchanges per second, p50 and p99 latency, and the broker's own time
// at the median: p50 minus GitHub's part (the requests one exchange makes × the fake's latency).
// Then the broker's RSS (now and peak, from /proc). A report: exits 0 unless a request fails.
import { readFileSync } from 'node:fs'
import { printTable } from './lib/bench-stats.mjs'
import { loadBrokerHarness, startSeededFake } from './lib/local-runner.mjs'

const LEVELS = [1, 8, 32]

export async function benchBroker({ runs, latencyMs }) {
  const { startOidcIssuer, brokerConfig, brokerDir, startBroker, AUDIENCE } =
    await loadBrokerHarness()
  const { fake } = await startSeededFake()
  const issuer = await startOidcIssuer({ audience: AUDIENCE })
  const dir = brokerDir()
  const policies = [
    {
      name: 'ci',
      match: { repository_owner: 'octo-org' },
      grant: {
        kind: 'installation',
        owner: 'octo-org',
        repositories: '$repository',
        permissions: { contents: 'read' }
      }
    }
  ]
  const broker = await startBroker(brokerConfig(fake, issuer, dir, policies), dir)
  const exchange = async (token) => {
    const started = performance.now()
    const reply = await broker.call('/v1/token', token, { policy: 'ci' })
    if (reply.status !== 201) throw new Error(`HTTP ${reply.status}: ${JSON.stringify(reply.body)}`)
    return performance.now() - started
  }
  try {
    // Warm-up: discovery, the key set, the first JWT, SQLite's first pages.
    for (let i = 0; i < 5; i++) await exchange(await issuer.sign())
    fake.latencyMs = latencyMs
    const before = fake.requests.length
    await exchange(await issuer.sign())
    const perExchange = fake.requests.length - before
    const rows = [['callers', 'exchanges', 'per second', 'p50 ms', 'p99 ms', 'broker own ms (p50)']]
    for (const callers of LEVELS) {
      const count = Math.max(runs * 4, callers * 6)
      const tokens = []
      for (let i = 0; i < count; i++) tokens.push(await issuer.sign())
      const latencies = []
      const started = performance.now()
      let next = 0
      await Promise.all(
        Array.from({ length: callers }, async () => {
          while (next < tokens.length) latencies.push(await exchange(tokens[next++]))
        })
      )
      const seconds = (performance.now() - started) / 1000
      latencies.sort((a, b) => a - b)
      const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]
      rows.push([
        String(callers),
        String(count),
        (count / seconds).toFixed(1),
        at(0.5).toFixed(0),
        at(0.99).toFixed(0),
        (at(0.5) - perExchange * latencyMs).toFixed(0)
      ])
    }
    const status = readFileSync(`/proc/${broker.child.pid}/status`, 'utf8')
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1])
    console.log(
      `Broker (dist/cli serve, SQLite) on Node ${process.versions.node}; fake API latency ${latencyMs} ms; ` +
        `one exchange = ${perExchange} GitHub requests (installation lookup + mint).\n`
    )
    printTable(rows)
    console.log(
      `\nBroker RSS: ${(kb('VmRSS') / 1024).toFixed(1)} MB now, ${(kb('VmHWM') / 1024).toFixed(1)} MB peak.`
    )
    return 0
  } catch (error) {
    console.error(`npm run bench -- --broker: ${error.message}`)
    return 1
  } finally {
    await broker.stop()
    await issuer.close()
    await fake.close()
  }
}
