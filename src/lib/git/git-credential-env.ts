import { configCountOf } from './config-count-of.js'
import { credentialHelperCommand } from './credential-helper-command.js'
import { originOf } from './origin-of.js'

export interface GitCredentialEnv {
  /** The variables the main step exports to the later steps of the job (GITHUB_ENV). */
  exported: Record<string, string>
  /** The variables the post step exports to undo `exported`. */
  undo: Record<string, string>
}

/**
 * Git configuration, as environment variables, that makes every git command of the later steps
 * authenticate against `origin` (and only there: scheme, host and port) with the token in
 * `tokenFile`, read at every use. Two entries are appended after those already in
 * `GIT_CONFIG_COUNT`: an empty `credential.<origin>.helper`, which empties the list of helpers
 * configured before it for that URL (system, global or repository config, an earlier step), so
 * that a cached or stale credential cannot answer first; then our helper. Environment entries are
 * read after every config file, and nothing is written to ~/.gitconfig or the workspace.
 * https://git-scm.com/docs/git-config#Documentation/git-config.txt-GITCONFIGCOUNT
 * https://git-scm.com/docs/gitcredentials#Documentation/gitcredentials.txt-helper
 *
 * The token itself is not an argument: it never appears in a variable, only in the file.
 */
export function gitCredentialEnv(options: {
  origin: string
  tokenFile: string
  environment: Readonly<Record<string, string | undefined>>
}): GitCredentialEnv {
  const scope = `credential.${originOf(options.origin)}.helper`
  const helper = credentialHelperCommand(options.tokenFile)
  const first = configCountOf(options.environment)
  const entries = [
    [scope, ''],
    [scope, helper]
  ]
  const exported: Record<string, string> = {}
  const undo: Record<string, string> = {}
  entries.forEach(([key, value], i) => {
    exported[`GIT_CONFIG_KEY_${first + i}`] = key!
    exported[`GIT_CONFIG_VALUE_${first + i}`] = value!
    undo[`GIT_CONFIG_KEY_${first + i}`] = ''
    undo[`GIT_CONFIG_VALUE_${first + i}`] = ''
  })
  exported.GIT_CONFIG_COUNT = String(first + entries.length)
  // A variable exported through GITHUB_ENV cannot be unset, only set; a count of 0 is no entry.
  undo.GIT_CONFIG_COUNT = options.environment.GIT_CONFIG_COUNT ?? '0'
  return { exported, undo }
}
