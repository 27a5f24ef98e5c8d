import { readFileSync } from 'node:fs'
import { quoteInput } from '../../lib/text/quote-input.js'
import { EXIT, UsageError } from '../seam/errors.js'
import type { Command } from './command.js'

/** `mint-token serve`: the token broker, until SIGINT or SIGTERM. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the token broker: OIDC-authenticated callers get what a policy grants them.',
  usage: '--config broker.yaml [--listen HOST:PORT] [--tls-cert PATH --tls-key PATH]',
  flags: [
    { name: 'config', type: 'string', value: 'PATH', help: 'the broker configuration (YAML)' },
    {
      name: 'listen',
      type: 'string',
      value: 'HOST:PORT',
      help: 'where to listen (default 127.0.0.1:8080; port 0 picks one)'
    },
    { name: 'tls-cert', type: 'string', value: 'PATH', help: 'serve HTTPS with this certificate' },
    { name: 'tls-key', type: 'string', value: 'PATH', help: 'and this key' }
  ],
  details: `The App's key lives with the broker alone; callers send Authorization: Bearer <OIDC token>
(GitHub Actions' own, or any trusted issuer's) and name a policy of the config. Without TLS flags
it serves plain HTTP, meant to sit behind a TLS-terminating proxy. The schema of the config is
schema/broker.schema.json; README "Keyless: the token broker" shows a complete set-up.

API: POST /v1/token; GET /healthz; GET /metrics (Prometheus).
Needs Node.js 22.13 or later (node:sqlite).`,
  run: async (values, _rest, ctx) => {
    const configPath = typeof values.config === 'string' ? values.config : ''
    if (!configPath)
      throw new UsageError('--config is missing; pass the broker configuration file.')
    const listen = parseListen(typeof values.listen === 'string' ? values.listen : '127.0.0.1:8080')
    const tls = readTls(values)
    // Evaluated here, not at start, so the other commands start as quickly as without the broker;
    // in the same bundle ("eager": no chunk file, and ncc's licenses.txt covers every package).
    const { loadBrokerConfig } = await import(/* webpackMode: "eager" */ '../../broker/config.js')
    const { startBroker } = await import(/* webpackMode: "eager" */ '../../broker/start-broker.js')
    const config = loadBrokerConfig(configPath, {
      readFile: (path) => readFileSync(path, 'utf8'),
      readKeyFile: ctx.deps.readKeyFile,
      env: ctx.io.env,
      log: ctx.deps.log
    })
    const broker = await startBroker(config, ctx.deps, { ...listen, tls, log: ctx.deps.log })
    ctx.deps.log.info(
      `mint-token broker listening on ${broker.url} (${config.policies.length} policies, ${config.issuers.length} trusted issuers)`
    )
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', resolve)
      process.once('SIGTERM', resolve)
    })
    ctx.deps.log.info(`${signal}: finishing the requests in flight, then stopping.`)
    await broker.close()
    return EXIT.ok
  }
}

function parseListen(raw: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(raw)
  const port = Number(match?.[3])
  if (!match || port > 65535)
    throw new UsageError(
      `--listen is ${quoteInput(raw)}; expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080.`
    )
  return { host: match[1] ?? match[2]!, port }
}

function readTls(values: Record<string, string | boolean | undefined>) {
  const cert = values['tls-cert']
  const key = values['tls-key']
  if (cert === undefined && key === undefined) return undefined
  if (typeof cert !== 'string' || typeof key !== 'string')
    throw new UsageError('--tls-cert and --tls-key go together; give both, or neither for HTTP.')
  const read = (path: string, flag: string) => {
    try {
      return readFileSync(path, 'utf8')
    } catch (error) {
      throw new UsageError(
        `${flag} ${quoteInput(path)} could not be read (${(error as { code?: string }).code ?? 'error'}).`
      )
    }
  }
  return { cert: read(cert, '--tls-cert'), key: read(key, '--tls-key') }
}
