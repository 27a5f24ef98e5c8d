import type { HandoffSettings } from '../../lib/requests.js'
import { InputError } from '../../lib/input-error.js'
import { splitList } from '../../lib/text/split-list.js'
import { neutralize } from '../../lib/text/neutralize.js'
import { programReading } from './program-env-names.js'

interface Readers {
  read: (name: string) => string
  readBoolean: (name: string) => boolean
  tokenType: 'installation' | 'runner-registration' | 'runner-jit'
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** The hand-off inputs, checked against each other and the token type before any request. */
export function parseHandoffInputs({ read, readBoolean, tokenType }: Readers): HandoffSettings {
  const raw = read('token-file').trim()
  const inputs: HandoffSettings = {
    tokenFile: !raw ? undefined : raw === 'true' ? { kind: 'temp' } : { kind: 'path', path: raw },
    refresh: readBoolean('token-refresh'),
    exportEnv: parseExportEnv(read('export-env')),
    gitCredentials: readBoolean('git-credentials'),
    botIdentity: readBoolean('bot-identity'),
    rateLimit: readBoolean('rate-limit')
  }
  if (raw === 'false') {
    throw new InputError(
      "Input 'token-file' is 'false'; leave it empty for no file, set 'true' for a new private file under RUNNER_TEMP, or give a path."
    )
  }
  if (inputs.refresh && (!inputs.tokenFile || tokenType !== 'installation')) {
    throw new InputError(
      "Input 'token-refresh' needs 'token-file' and 'token-type: installation': refreshed tokens are written to the token file, and only installation tokens can be minted again."
    )
  }
  for (const input of ['git-credentials', 'bot-identity', 'rate-limit'] as const) {
    if (tokenType !== 'installation' && readBoolean(input)) {
      throw new InputError(
        `Input '${input}' applies to 'token-type: installation' only; a ${tokenType} credential is not an installation token.`
      )
    }
  }
  return inputs
}

function parseExportEnv(raw: string): string[] {
  const names = [...new Set(splitList(raw))]
  for (const name of names) {
    if (!ENV_NAME.test(name)) {
      throw new InputError(
        `Input 'export-env' has '${neutralize(name, 64)}', which is not a variable name; expected names like GH_TOKEN (letters, digits and '_', not starting with a digit), separated by commas or newlines.`
      )
    }
    const program = programReading(name)
    if (program) {
      throw new InputError(
        `Input 'export-env' has '${name}', a variable read by ${program} that changes how it runs; choose another name, e.g. GH_TOKEN or GITHUB_TOKEN.`
      )
    }
  }
  return names
}
