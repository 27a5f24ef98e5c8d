import { cliField, type RequestFields } from '../../lib/field.js'
import { parseTarget } from '../../lib/parse/parse-target.js'
import { refuseEnterprise, runnerScope, webUrl } from '../../lib/parse/runner-scope.js'
import { InputError } from '../../lib/input-error.js'
import type { RunnerJitRequest, RunnerRegistrationRequest } from '../../lib/requests.js'
import { parseJitSettings } from '../../lib/parse/runner-settings.js'
import type { Deps } from '../../lib/seam/deps.js'
import type { Io } from '../seam/io.js'
import type { FlagValues } from './parse-command-line.js'
import { parseCredentials } from './parse-credentials.js'

const OWNER = cliField('--owner')
const REPOSITORY = cliField('--repository')

/** How later messages (a lookup's 404, a refused mint) name a runner command's flags. */
export const RUNNER_FIELDS: RequestFields = {
  owner: OWNER,
  repositories: REPOSITORY,
  installationId: cliField('--installation-id'),
  permissions: cliField('--permissions'),
  app: '--app-id/--client-id'
}

const text = (value: FlagValues[string]) => (typeof value === 'string' ? value : '')

/**
 * A registration token request from `runner-token` flags: the organization of --owner, or its one
 * --repository; the action's checks and wording, naming the flags. The library hands nothing off:
 * the command line delivers the token itself.
 */
export async function parseRunnerRequest(
  values: FlagValues,
  io: Pick<Io, 'env' | 'readStdin'>,
  deps: Pick<Deps, 'log' | 'readKeyFile' | 'run' | 'now'>
): Promise<RunnerRegistrationRequest> {
  return { ...(await parseRunnerHome(values, io, deps)), tokenType: 'runner-registration' }
}

/** The JIT settings' flags, by the action's input names that parseJitSettings reads. */
const JIT_FLAGS: Record<string, string> = {
  'runner-labels': 'labels',
  'runner-group': 'group',
  'runner-name': 'name',
  'runner-name-prefix': 'name-prefix',
  'runner-work-folder': 'work-folder',
  'runner-cleanup': 'cleanup'
}

/**
 * A just-in-time runner from `jit-config` flags: where it registers as for runner-token, and the
 * action's JIT settings (labels, group, name or prefix, work folder) with their checks. Its name
 * carries 'local' where the action's carries the run's ID, so prune reads its age all the same.
 */
export async function parseJitRequest(
  values: FlagValues,
  io: Pick<Io, 'env' | 'readStdin'>,
  deps: Pick<Deps, 'log' | 'readKeyFile' | 'run' | 'now'>
): Promise<RunnerJitRequest> {
  const home = await parseRunnerHome(values, io, deps)
  const jit = parseJitSettings(
    {
      read: (name) => text(values[JIT_FLAGS[name]!]),
      field: (name) => cliField(`--${JIT_FLAGS[name]!}`)
    },
    home.scope
  )
  if (jit.name !== undefined && typeof values['name-prefix'] === 'string') {
    throw new InputError(
      '--name and --name-prefix are both set; --name is the whole name, --name-prefix the start of a generated one. Set one of them.'
    )
  }
  return { ...home, tokenType: 'runner-jit', jit, run: { id: 'local', attempt: '1' } }
}

/** Where a runner registers, and the App that registers it. */
async function parseRunnerHome(
  values: FlagValues,
  io: Pick<Io, 'env' | 'readStdin'>,
  deps: Pick<Deps, 'log' | 'readKeyFile' | 'run' | 'now'>
) {
  const owner = text(values.owner)
  if (!owner.trim()) {
    throw new InputError(
      '--owner is empty; set it to the organization (or, with --repository, the repository owner) the runner registers with.'
    )
  }
  const fields = { owner: OWNER, repositories: REPOSITORY }
  refuseEnterprise(owner, fields)
  // No default from GITHUB_REPOSITORY: a runner's home is chosen, never guessed.
  const target = parseTarget(owner, text(values.repository), undefined, {
    ...fields,
    onePerOwner: 'register the runner with one owner'
  })
  const scope = runnerScope(target, fields)
  const credentials = await parseCredentials(values, io, deps)
  return {
    ...credentials,
    target,
    fields: RUNNER_FIELDS,
    summary: false,
    scope,
    runnerUrl: webUrl(deps.run, credentials.apiUrl, scope),
    handoff: {
      refresh: false,
      exportEnv: [],
      gitCredentials: false,
      botIdentity: false,
      rateLimit: false
    }
  }
}
