import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import type { FakeGitHub } from '../fake-github/server.js'
import type { OidcIssuer } from './oidc-issuer.js'
import { CLI, NODE } from './run-cli.js'

export const AUDIENCE = 'https://broker.test'

/** `mint-token serve` (dist/cli) as a subprocess, listening on 127.0.0.1 at a port it picked. */
export interface BrokerProcess {
  url: string
  dir: string
  configPath: string
  child: ChildProcess
  /** Everything it wrote to stderr so far (its log). */
  log(): string
  /** Sends `signal` (SIGTERM) and resolves once it exited. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; log: string }>
  /** POSTs (or sends `method` with) a JSON body with the bearer token; the status and JSON reply. */
  call(
    path: string,
    token: string | undefined,
    body?: unknown,
    method?: string
  ): Promise<{ status: number; body: Record<string, unknown> }>
}

/** broker.yaml for the fake's App and the issuer, with `policies`; `extra` adds or overrides. */
export function brokerConfig(
  fake: FakeGitHub,
  issuer: OidcIssuer,
  dir: string,
  policies: unknown[],
  extra: Record<string, unknown> = {}
): string {
  const keyFile = join(dir, 'app.pem')
  writeFileSync(keyFile, fake.app.privateKey, { mode: 0o600 })
  const config = {
    app: { 'app-id': fake.app.id, 'private-key-file': 'app.pem' },
    'api-url': fake.url,
    audience: AUDIENCE,
    issuers: [issuer.url],
    database: 'sqlite:broker.db',
    policies,
    ...extra
  }
  const path = join(dir, 'broker.yaml')
  writeFileSync(path, stringify(config))
  return path
}

export async function startBroker(configPath: string, dir: string): Promise<BrokerProcess> {
  const child = spawn(NODE, [CLI, 'serve', '--config', configPath, '--listen', '127.0.0.1:0'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let log = ''
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString()
      const match = /listening on (http\S+)/.exec(log)
      if (match) resolve(match[1]!)
    })
    void exited.then((code) =>
      reject(new Error(`the broker exited (${code}) before listening:\n${log}`))
    )
  })
  return {
    url,
    dir,
    configPath,
    child,
    log: () => log,
    stop: async (signal = 'SIGTERM') => {
      child.kill(signal)
      const code = await exited
      return { code, log }
    },
    call: async (path, token, body, method = 'POST') => {
      const reply = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' })
        },
        body:
          body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
      })
      return { status: reply.status, body: (await reply.json()) as Record<string, unknown> }
    }
  }
}

/** A fresh directory for one broker's config, key and database. */
export const brokerDir = () => mkdtempSync(join(tmpdir(), 'mint-token-broker-'))
