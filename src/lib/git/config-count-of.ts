import { InputError } from '../input-error.js'
import { quoteInput } from '../text/quote-input.js'

/**
 * How many `GIT_CONFIG_KEY_<n>`/`GIT_CONFIG_VALUE_<n>` pairs the environment already gives git:
 * `GIT_CONFIG_COUNT`, where unset and empty both mean none (git reads an empty count as 0). New
 * entries go after these, so that settings of earlier steps are kept.
 * https://git-scm.com/docs/git-config#Documentation/git-config.txt-GITCONFIGCOUNT
 */
export function configCountOf(environment: Readonly<Record<string, string | undefined>>): number {
  const raw = environment.GIT_CONFIG_COUNT ?? ''
  if (!/^\d*$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    // Git itself refuses such a count ("bogus count in GIT_CONFIG_COUNT") in every command.
    throw new InputError(
      `GIT_CONFIG_COUNT is ${quoteInput(raw)} in the environment, which is not a count. Expected a whole number such as 0, as git does; fix the step that set it.`
    )
  }
  return Number(raw)
}
