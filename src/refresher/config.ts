import { createPrivateKey } from 'node:crypto'
import { isAbsolute } from 'node:path'
import type { RefresherConfig } from '../lib/refresher-control/refresher-config.js'
import type { Clock } from '../lib/refresher-control/clock.js'

export type ParsedConfig =
  { ok: true; config: RefresherConfig } | { ok: false; problem: string; statusFile?: string }

type Check = (value: unknown) => boolean

const isText: Check = (v) => typeof v === 'string' && v !== '' && !/\s/.test(v)
const isId: Check = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0
const isPath: Check = (v) => typeof v === 'string' && isAbsolute(v) && !v.includes('\0')
const isTime: Check = (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v))
const isOffset: Check = (v) => typeof v === 'number' && Number.isFinite(v)
const isUrl: Check = (v) => typeof v === 'string' && /^https?:\/\/[^\s]+$/.test(v)
const isNames: Check = (v) => Array.isArray(v) && v.length > 0 && v.every(isText)
const isFormat: Check = (v) => v === 'stateless' || v === 'classic'
const isLevels: Check = (v) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(isText)

/** Each field and what it must be; the messages name the field, never its value. */
const FIELDS: [keyof RefresherConfig, Check, string][] = [
  ['apiUrl', isUrl, 'an http(s) URL'],
  ['installationId', isId, 'a positive integer'],
  ['tokenFile', isPath, 'an absolute path'],
  ['expiresAt', isTime, 'an ISO 8601 time'],
  ['mintedAt', isTime, 'an ISO 8601 time'],
  ['clockOffsetMs', isOffset, 'a number of milliseconds'],
  ['statusFile', isPath, 'an absolute path'],
  ['deadline', isTime, 'an ISO 8601 time']
]

/**
 * The refresher's stdin, checked field by field. A malformed document is a bug in the main step,
 * not a user's input: the problem goes to the status file (when its path is readable) and the
 * refresher exits without a request. The key is parsed here so that a bad one fails at once.
 */
export function parseRefresherConfig(text: string): ParsedConfig {
  let data: Record<string, unknown>
  try {
    data = JSON.parse(text) as Record<string, unknown>
  } catch {
    return { ok: false, problem: 'the configuration on stdin is not JSON' }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return { ok: false, problem: 'the configuration on stdin is not a JSON object' }
  const statusFile = isPath(data.statusFile) ? (data.statusFile as string) : undefined
  const problem = findProblem(data)
  return problem ? { ok: false, problem, statusFile } : { ok: true, config: data as never }
}

function findProblem(data: Record<string, unknown>): string | undefined {
  for (const [field, check, expected] of FIELDS) {
    if (!check(data[field])) return `configuration field '${field}' is not ${expected}`
  }
  if (data.workerPid !== undefined && !isId(data.workerPid))
    return "configuration field 'workerPid' is not a positive integer"
  if (data.repositories !== undefined && !isNames(data.repositories))
    return "configuration field 'repositories' is not a list of repository names"
  if (data.permissions !== undefined && !isLevels(data.permissions))
    return "configuration field 'permissions' is not an object of permission levels"
  if (data.tokenFormat !== undefined && !isFormat(data.tokenFormat))
    return "configuration field 'tokenFormat' is not 'stateless' or 'classic'"
  if (data.broker !== undefined) return brokerProblem(data.broker)
  if (!isText(data.appId)) return "configuration field 'appId' is not an App ID or Client ID"
  try {
    createPrivateKey({ key: String(data.privateKey), format: 'pem' })
  } catch {
    return "configuration field 'privateKey' is not a PEM private key"
  }
  return undefined
}

/** The broker instead of the key: where, which policy and audience, and the job's token service. */
function brokerProblem(value: unknown): string | undefined {
  const broker = (value ?? {}) as Record<string, unknown>
  const service = (broker.idTokenService ?? {}) as Record<string, unknown>
  if (!isUrl(broker.url)) return "configuration field 'broker.url' is not an http(s) URL"
  if (!isText(broker.policy)) return "configuration field 'broker.policy' is not a policy name"
  if (typeof broker.audience !== 'string' || broker.audience === '')
    return "configuration field 'broker.audience' is not an audience"
  if (!isUrl(service.url) || !isText(service.token))
    return "configuration field 'broker.idTokenService' is not the runner's OIDC token service"
  return undefined
}

/** The configuration is a few KB (the key is ~1.7 KB); more is not the main step's. */
const LIMIT_BYTES = 1024 * 1024
/** The main step writes it at once; a pipe left open must not keep a process waiting. */
const TIMEOUT_MS = 10_000

/** Reads a stream to its end, as UTF-8, within a size limit and a time limit (on the clock). */
export async function readStdin(
  stream: NodeJS.ReadableStream,
  clock: Pick<Clock, 'sleep'>
): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  const reading = (async () => {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      size += bytes.length
      if (size > LIMIT_BYTES) throw new Error('the configuration on stdin is too large')
      chunks.push(bytes)
    }
    return Buffer.concat(chunks).toString('utf8')
  })()
  const done = new AbortController()
  const timeout = clock.sleep(TIMEOUT_MS, done.signal).then(() => {
    throw new Error('no configuration on stdin within 10 s')
  })
  try {
    return await Promise.race([reading, timeout])
  } finally {
    done.abort()
    timeout.catch(() => {})
  }
}
