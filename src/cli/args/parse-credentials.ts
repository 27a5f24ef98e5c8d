import { parseApiUrl, plainHttpWarning } from '../../lib/parse/parse-api-url.js'
import { parseAppId, parseInstallationId } from '../../lib/parse/parse-app-id.js'
import type { AppCredentials } from '../../lib/requests.js'
import { checkAppJwt } from '../../lib/key/check-app-jwt.js'
import { cliField } from '../../lib/field.js'
import { quoteInput } from '../../lib/text/quote-input.js'
import { UsageError } from '../seam/errors.js'
import type { Deps } from '../../lib/seam/deps.js'
import type { Io } from '../seam/io.js'
import { fromFlagOrEnv } from './from-flag-or-env.js'
import type { FlagValues } from './parse-command-line.js'
import { readCliKey } from './read-cli-key.js'

export const DEFAULT_API_URL = 'https://api.github.com'

const NO_APP_ID =
  'Neither --app-id nor --client-id is given, and neither GITHUB_APP_ID nor GITHUB_APP_CLIENT_ID is set. Pass one (the App settings page shows both).'

export interface CliCredentials {
  app: AppCredentials
  installationId?: number
  apiUrl: string
}

/** The API URL: --api-url, else GITHUB_API_URL (set inside Actions), else github.com's. */
export function parseCliApiUrl(values: FlagValues, io: Pick<Io, 'env'>, deps: Pick<Deps, 'log'>) {
  const given = fromFlagOrEnv(values, 'api-url', io.env, ['GITHUB_API_URL'])
  const apiUrl = parseApiUrl(given.raw || DEFAULT_API_URL, given.field)
  const insecure = plainHttpWarning(apiUrl, given.field)
  if (insecure) deps.log.warning(insecure)
  return apiUrl
}

/**
 * The App, its installation and the API, from flags or the environment variables scripts
 * already set (GITHUB_APP_ID, …), with the action's checks and wording. The key is read last:
 * a wrong ID is reported without reading standard input.
 */
export async function parseCredentials(
  values: FlagValues,
  io: Pick<Io, 'env' | 'readStdin'>,
  deps: Pick<Deps, 'log' | 'readKeyFile' | 'now'>
): Promise<CliCredentials> {
  const { env } = io
  const apiUrl = parseCliApiUrl(values, io, deps)
  if (values['app-jwt-file'] !== undefined || values['app-jwt-stdin'] === true) {
    const installationId = parseInstallationId(
      fromFlagOrEnv(values, 'installation-id', env, ['GITHUB_APP_INSTALLATION_ID'])
    )
    return { app: await readCliJwt(values, io, deps), installationId, apiUrl }
  }
  const appId = parseAppId(
    fromFlagOrEnv(values, 'app-id', env, ['GITHUB_APP_ID']),
    fromFlagOrEnv(values, 'client-id', env, ['GITHUB_APP_CLIENT_ID']),
    NO_APP_ID
  )
  const installationId = parseInstallationId(
    fromFlagOrEnv(values, 'installation-id', env, ['GITHUB_APP_INSTALLATION_ID'])
  )
  return { app: { appId, privateKey: await readCliKey(values, io, deps) }, installationId, apiUrl }
}

/**
 * --app-jwt-file or --app-jwt-stdin: an App JWT signed elsewhere, masked at once and checked as
 * the action checks 'app-jwt'; refused with a key flag. Its iss names the App: --app-id and
 * --client-id may be left out, and must agree with it when given.
 */
async function readCliJwt(
  values: FlagValues,
  io: Pick<Io, 'readStdin'>,
  deps: Pick<Deps, 'log' | 'readKeyFile' | 'now'>
): Promise<AppCredentials> {
  const file = values['app-jwt-file']
  const stdin = values['app-jwt-stdin'] === true
  if (typeof file === 'string' && stdin)
    throw new UsageError('Both --app-jwt-file and --app-jwt-stdin are given; give one.')
  const keyFlag = ['private-key-file', 'private-key-stdin'].find((name) => values[name])
  if (keyFlag)
    throw new UsageError(
      `--${keyFlag} and an App JWT are both given; the JWT is signed elsewhere so that no key is needed. Give one.`
    )
  let raw: string
  if (typeof file === 'string') {
    try {
      raw = deps.readKeyFile(file)
    } catch (error) {
      throw new UsageError(
        `--app-jwt-file ${quoteInput(file)} could not be read (${(error as { code?: string }).code ?? 'error'}).`
      )
    }
  } else raw = await io.readStdin()
  deps.log.mask(raw.trim())
  const field = cliField(typeof file === 'string' ? '--app-jwt-file' : '--app-jwt-stdin')
  const jwt = checkAppJwt(raw, field, deps.now())
  for (const name of ['app-id', 'client-id']) {
    const id = values[name]
    if (typeof id === 'string' && id.trim() && id.trim() !== jwt.issuer)
      throw new UsageError(
        `--${name} is ${quoteInput(id.trim())}, but the App JWT's iss names another App; leave --${name} out or fix it.`
      )
  }
  return { appId: jwt.issuer, jwt }
}
