import { isAbsolute } from 'node:path'
import { InputError } from '../input-error.js'
import { quoteInput } from '../text/quote-input.js'
import { maskedReadSh, shellQuote } from '../text/masked-read-sh.js'

/**
 * The `credential.<origin>.helper` value: a shell snippet (git runs a value starting with '!' with
 * `sh -c`, appending the operation: `get`, `store` or `erase`) that answers `get` with the user
 * name GitHub expects for an App's installation token and, as the password, the token file's
 * content read at that moment, so a refreshed file is picked up by the next git command. It
 * ignores `store` and `erase` (the file is not git's to change), and prints nothing when the file
 * is missing or empty, so git fails with "could not read Username" instead of sending a stale
 * credential. It registers the token with the runner's masker first (`::add-mask::` on stderr,
 * which git passes through to the step's log): a refreshed token is one the runner has not seen.
 * The token never becomes an argument (see maskedReadSh).
 * https://git-scm.com/docs/gitcredentials#_custom_helpers
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/authenticating-as-a-github-app-installation#about-authentication-as-a-github-app-installation
 */
export function credentialHelperCommand(tokenFile: string): string {
  // The C0 controls, as the token-file check before minting refuses them: DEL is carried as is
  // by GIT_CONFIG_VALUE_<n>, GITHUB_ENV and the shell's single quotes, so refusing it here
  // would fail the step only after it minted.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(tokenFile)) {
    throw new InputError(
      `The token file path ${quoteInput(tokenFile)} contains a control character (a line break or tab?), which the git credential helper cannot carry safely. Choose a path without one.`
    )
  }
  if (!isAbsolute(tokenFile)) {
    // Git runs the helper in whatever directory the git command runs in.
    throw new InputError(
      `The token file path ${quoteInput(tokenFile)} is not absolute; the git credential helper needs an absolute path.`
    )
  }
  const file = shellQuote(tokenFile)
  const read = maskedReadSh(file, 'return 0')
  return `!f() { test "$1" = get || return 0; test -r ${file} || return 0; ${read}; echo username=x-access-token; printf 'password=%s\\n' "$t"; }; f`
}
