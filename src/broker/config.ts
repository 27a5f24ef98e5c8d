import type { KeyObject } from 'node:crypto'
import { dirname, isAbsolute, resolve } from 'node:path'
import { Ajv, type ErrorObject } from 'ajv'
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml'
import schema from '../../schema/broker.schema.json' with { type: 'json' }
import { settingField } from '../lib/field.js'
import { InputError } from '../lib/input-error.js'
import { keySecretLines } from '../lib/key/key-secret-lines.js'
import { normalizePrivateKey } from '../lib/key/normalize-private-key.js'
import type { Log } from '../lib/log.js'
import { parseApiUrl } from '../lib/parse/parse-api-url.js'
import { parsePermissions } from '../lib/permissions/parse-permissions.js'
import { parseOlderThan } from '../lib/prune/parse-older-than.js'
import { quoteInput } from '../lib/text/quote-input.js'

/** A claim's test: an exact value, one of several, or a pattern over the whole value. */
export interface ClaimMatch {
  claim: string
  /** As the config says it, for messages and the audit trail. */
  shown: string
  test: (value: string) => boolean
}

export interface InstallationGrant {
  kind: 'installation'
  owner: string
  /** undefined: every repository of the owner; '$repository': the caller's own. */
  repositories?: string[] | '$repository'
  /** The most a token may have. */
  permissions: Record<string, string>
}

export interface RunnerGrant {
  kind: 'runner-jit' | 'runner-registration'
  owner: string
  repository?: string
  /** Enforced: a caller may ask for a subset, never another label. */
  labels: string[]
  group?: string | number
  namePrefix?: string
  workFolder?: string
}

export interface Policy {
  name: string
  match: ClaimMatch[]
  grant: InstallationGrant | RunnerGrant
}

export interface BrokerConfig {
  app: { appId: string; privateKey: KeyObject }
  apiUrl: string
  audience: string
  issuers: string[]
  database: string
  prune?: { everyMs: number; olderThanMs: number }
  policies: Policy[]
}

/** What loading reads: the file and the environment, passed in. */
export interface ConfigSources {
  readFile: (path: string) => string
  /** The key's file: a regular file only, read with a bound (the library's readKeyFile). */
  readKeyFile: (path: string) => string
  env: Readonly<Record<string, string | undefined>>
  log: Pick<Log, 'mask'>
}

export const DEFAULT_DATABASE = 'sqlite:mint-token-broker.db'

/** The raw shape the schema guarantees. */
interface RawConfig {
  app: Record<string, string | number | undefined>
  'api-url'?: string
  audience: string
  issuers: string[]
  database?: string
  prune?: { every: string; 'older-than'?: string }
  policies: {
    name: string
    match: Record<string, string | string[] | { pattern: string }>
    grant: Record<string, unknown> & { kind: Policy['grant']['kind']; owner: string }
  }[]
}

const validate = new Ajv({ allErrors: false, strict: false }).compile<RawConfig>(schema)

/**
 * broker.yaml, parsed and checked in full before the broker listens: the JSON Schema in
 * schema/broker.schema.json for the shape, then what a schema cannot say (the permission names,
 * what each kind of grant may hold, patterns that compile, the key). Every error names the file,
 * the line and the setting's path, never a key.
 */
export function loadBrokerConfig(path: string, sources: ConfigSources): BrokerConfig {
  const { config, fail } = readConfigFile(path, sources)
  const policies = config.policies.map((policy, i) => parsePolicy(policy, ['policies', i], fail))
  const names = new Set<string>()
  config.policies.forEach((policy, i) => {
    if (names.has(policy.name))
      fail(['policies', i, 'name'], `is ${quoteInput(policy.name)}, the name of an earlier policy.`)
    names.add(policy.name)
  })
  config.issuers.forEach((issuer, i) => {
    // Keys fetched over plain HTTP could be swapped on the way: only a local test issuer may.
    const { protocol, hostname } = new URL(issuer)
    if (protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(hostname))
      fail(['issuers', i], `is ${quoteInput(issuer)}; an issuer's keys must come over https://.`)
  })
  const apiUrl = within(['api-url'], fail, () =>
    parseApiUrl(config['api-url'] ?? 'https://api.github.com', settingField('api-url'))
  )
  return {
    app: {
      appId: String(config.app['client-id'] ?? config.app['app-id']),
      privateKey: within(['app'], fail, () => readKey(config.app, sources, dirname(path)))
    },
    apiUrl,
    audience: config.audience,
    issuers: config.issuers,
    database: databaseOf(config, path),
    prune: config.prune && {
      everyMs: within(['prune', 'every'], fail, () =>
        parseOlderThan(config.prune!.every, settingField('prune.every'))
      ),
      olderThanMs: within(['prune', 'older-than'], fail, () =>
        parseOlderThan(config.prune!['older-than'] ?? '1h', settingField('prune.older-than'))
      )
    },
    policies
  }
}

/** Only where the state is (for `mint-token audit`): the file checked, the key not read. */
export function loadDatabaseSetting(
  path: string,
  sources: Pick<ConfigSources, 'readFile'>
): string {
  return databaseOf(readConfigFile(path, sources).config, path)
}

/** A relative SQLite path is the config file's neighbour, wherever the broker is started. */
function databaseOf(config: RawConfig, configPath: string): string {
  const database = config.database ?? DEFAULT_DATABASE
  if (!database.startsWith('sqlite:')) return database
  const file = database.slice('sqlite:'.length)
  return file === ':memory:' || isAbsolute(file)
    ? database
    : `sqlite:${resolve(dirname(configPath), file)}`
}

/** The file parsed and checked against the schema, and how to fail naming a place in it. */
function readConfigFile(path: string, sources: Pick<ConfigSources, 'readFile'>) {
  let text: string
  try {
    text = sources.readFile(path)
  } catch (error) {
    throw new InputError(
      `--config ${quoteInput(path)} could not be read (${(error as { code?: string }).code ?? 'error'}).`
    )
  }
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true })
  const where = (at: (string | number)[]) => {
    const node = deepestNode(doc.contents, at)
    const line = node?.range ? `:${lines.linePos(node.range[0]).line}` : ''
    return `${path}${line}`
  }
  const fail = (at: (string | number)[], message: string): never => {
    // "policies[0].name is …", or "app: The environment variable … is empty." for a sentence.
    const joint = /^[A-Z]/.test(message) ? ': ' : ' '
    throw new InputError(`${where(at)}: ${pathText(at) || '(top level)'}${joint}${message}`)
  }
  if (doc.errors.length > 0) {
    const [error] = doc.errors
    throw new InputError(
      `${path}:${error!.linePos?.[0].line ?? '?'}: not valid YAML (${error!.code}).`
    )
  }
  const raw: unknown = doc.toJS()
  if (!validate(raw)) {
    const error = validate.errors![0]!
    const at = pointerPath(error.instancePath)
    fail(at, describeSchemaError(error))
  }
  return { config: raw as RawConfig, fail }
}

type Fail = (at: (string | number)[], message: string) => never

function parsePolicy(
  raw: RawConfig['policies'][number],
  at: (string | number)[],
  fail: Fail
): Policy {
  const match = Object.entries(raw.match).map(([claim, value]) =>
    claimMatch(claim, value, [...at, 'match', claim], fail)
  )
  const grant = raw.grant
  const grantAt = [...at, 'grant']
  const only = (allowed: string[]) => {
    for (const key of Object.keys(grant))
      if (!['kind', 'owner', ...allowed].includes(key))
        fail(
          [...grantAt, key],
          `is not a setting of a '${grant.kind}' grant (it takes ${allowed.join(', ')}).`
        )
  }
  if (grant.kind === 'installation') {
    only(['repositories', 'permissions'])
    if (!grant.permissions)
      fail(grantAt, "has no 'permissions': an installation grant names the most a token may have.")
    const permissionsAt = [...grantAt, 'permissions']
    const entries = Object.entries(grant.permissions as Record<string, string>)
    const permissions = within(permissionsAt, fail, () =>
      parsePermissions(
        entries.map(([name, level]) => `${name}:${level}`).join(','),
        settingField(pathText(permissionsAt))
      )
    )
    if (!permissions) fail(permissionsAt, 'is empty; grant at least one permission.')
    return {
      name: raw.name,
      match,
      grant: {
        kind: 'installation',
        owner: grant.owner,
        repositories: grant.repositories as InstallationGrant['repositories'],
        permissions
      }
    }
  }
  only(['repository', 'labels', 'group', 'name-prefix', 'work-folder'])
  if (grant.kind === 'runner-jit' && !grant.labels)
    fail(grantAt, "has no 'labels': a runner-jit grant names the labels its runners get.")
  return {
    name: raw.name,
    match,
    grant: {
      kind: grant.kind,
      owner: grant.owner,
      repository: grant.repository as string | undefined,
      labels: (grant.labels as string[] | undefined) ?? [],
      group: grant.group as string | number | undefined,
      namePrefix: grant['name-prefix'] as string | undefined,
      workFolder: grant['work-folder'] as string | undefined
    }
  }
}

function claimMatch(
  claim: string,
  value: string | string[] | { pattern: string },
  at: (string | number)[],
  fail: Fail
): ClaimMatch {
  if (typeof value === 'string') return { claim, shown: value, test: (v) => v === value }
  if (Array.isArray(value))
    return { claim, shown: value.join(' | '), test: (v) => value.includes(v) }
  let pattern: RegExp
  try {
    // Anchored: a pattern is about the whole value, so 'octo-org/.*' can't match 'evil/octo-org/x'.
    pattern = new RegExp(`^(?:${value.pattern})$`, 'u')
  } catch {
    return fail(
      [...at, 'pattern'],
      `is not a valid regular expression: ${quoteInput(value.pattern)}.`
    )
  }
  return { claim, shown: `/${value.pattern}/`, test: (v) => pattern.test(v) }
}

function readKey(app: RawConfig['app'], sources: ConfigSources, base: string): KeyObject {
  const file = app['private-key-file']
  const variable = app['private-key-env']
  if (file !== undefined && variable !== undefined)
    throw new InputError('sets both private-key-file and private-key-env; set one.')
  let text: string
  let subject: string
  if (file !== undefined) {
    subject = `The file named by app.private-key-file`
    try {
      text = sources.readKeyFile(resolve(base, String(file)))
    } catch (error) {
      throw new InputError(
        `private-key-file ${quoteInput(String(file))} could not be read (${(error as { code?: string }).code ?? 'error'}).`
      )
    }
  } else {
    subject = `The environment variable ${String(variable)} (app.private-key-env)`
    text = sources.env[String(variable)] ?? ''
  }
  for (const line of keySecretLines(text)) sources.log.mask(line)
  return normalizePrivateKey(text, {
    subject,
    whenEmpty:
      'Set app.private-key-file to the .pem file, or app.private-key-env to a variable holding it.'
  })
}

/** Runs a check whose InputError speaks of the setting alone, and puts the file and line first. */
function within<T>(at: (string | number)[], fail: Fail, check: () => T): T {
  try {
    return check()
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    const message = error.message.startsWith(pathText(at))
      ? error.message.slice(pathText(at).length).trimStart()
      : error.message
    return fail(at, message)
  }
}

function describeSchemaError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'additionalProperties':
      return `has an unknown setting ${quoteInput(String(params.additionalProperty))}.`
    case 'required':
      return `needs ${quoteInput(String(params.missingProperty))}.`
    case 'enum':
      return `must be one of: ${(params.allowedValues as unknown[]).join(', ')}.`
    case 'pattern':
      return `does not have the expected form (${String(params.pattern)}).`
    case 'oneOf':
      return error.instancePath.endsWith('/app')
        ? 'needs exactly one of app-id and client-id.'
        : 'matches none of the forms it may take (a value, a list of values, or {pattern: …}).'
    case 'anyOf':
      return 'needs private-key-file or private-key-env.'
    default:
      return `${error.message ?? 'is not valid'}.`
  }
}

/** '/policies/0/grant' → ['policies', 0, 'grant']. */
function pointerPath(pointer: string): (string | number)[] {
  if (!pointer) return []
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
}

/** ['policies', 0, 'grant'] → 'policies[0].grant'. */
export function pathText(at: (string | number)[]): string {
  return at
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('')
}

/** The node at `at`, or the deepest one on the way there (for a line number). */
function deepestNode(root: unknown, at: (string | number)[]): Node | undefined {
  let node = root as Node | undefined
  for (const key of at) {
    let next: unknown
    if (isMap(node)) next = node.get(key, true)
    else if (isSeq(node)) next = node.get(key, true)
    if (next === undefined || next === null || typeof next !== 'object') break
    node = next as Node
  }
  return node
}
