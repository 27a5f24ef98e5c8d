import { parseApiUrl, plainHttpWarning } from '../../lib/parse/parse-api-url.js'
import { parseAppId, parseInstallationId } from '../../lib/parse/parse-app-id.js'
import type { AppCredentials } from '../../lib/requests.js'
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
  deps: Pick<Deps, 'log' | 'readKeyFile'>
): Promise<CliCredentials> {
  const { env } = io
  const apiUrl = parseCliApiUrl(values, io, deps)
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
