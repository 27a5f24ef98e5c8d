import type { Target } from '../requests.js'
import { InputError } from '../input-error.js'
import { quoteInput } from '../text/quote-input.js'
import { splitList } from '../text/split-list.js'
import type { Field } from '../field.js'

/** A GitHub user or organization name (its login). */
export const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/
const REPO_NAME = /^[A-Za-z0-9._-]{1,100}$/
const MAX_REPOSITORIES = 500

/** The names the messages use, and what one credential per owner means to the front end. */
export interface TargetFields {
  owner: Field
  repositories: Field
  /** Advice when entries name two owners: "use one step per owner". */
  onePerOwner: string
}

/**
 * The same defaults as actions/create-github-app-token: neither input → this repository;
 * owner only → all of that owner's repositories; repositories only → this repository's owner.
 */
export function parseTarget(
  rawOwner: string,
  rawRepositories: string,
  currentRepository: string | undefined,
  fields: TargetFields
): Target {
  const { owner: ownerField, repositories } = fields
  const [currentOwner, currentRepo] = (currentRepository ?? '').split('/')
  const owner = rawOwner.trim() || currentOwner
  if (!owner) {
    throw new InputError(
      `${ownerField.subject} is empty and GITHUB_REPOSITORY is not set, so there is no repository to default to. Set ${ownerField.name}.`
    )
  }
  if (!LOGIN.test(owner)) {
    throw new InputError(
      `${ownerField.subject} is ${quoteInput(owner)}, which is not a GitHub user or organization name.`
    )
  }
  const names = splitList(rawRepositories).map((entry) => repositoryName(entry, owner, fields))
  if (names.length === 0)
    return rawOwner.trim() || !currentRepo ? { owner } : { owner, repositories: [currentRepo] }
  const seen = new Set<string>()
  const unique = names.filter(
    (name) => !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase())
  )
  if (unique.length > MAX_REPOSITORIES) {
    throw new InputError(
      `${repositories.subject} lists ${unique.length} repositories; GitHub accepts at most ${MAX_REPOSITORIES}. Leave it empty to cover every repository of ${quoteInput(owner)}.`
    )
  }
  return { owner, repositories: unique }
}

function repositoryName(entry: string, owner: string, fields: TargetFields): string {
  const { subject } = fields.repositories
  const parts = entry.split('/')
  const name = parts.length === 2 ? parts[1]! : entry
  if (parts.length > 2 || !REPO_NAME.test(name)) {
    throw new InputError(
      `${subject} has an entry ${quoteInput(entry)} that is not 'name' or 'owner/name'.`
    )
  }
  // Both fit the name pattern, but in a request path they mean this folder and the one above.
  if (name === '.' || name === '..') {
    throw new InputError(
      `${subject} has an entry ${quoteInput(entry)}, but '${name}' is not a repository name.`
    )
  }
  if (parts.length === 2 && parts[0]!.toLowerCase() !== owner.toLowerCase()) {
    throw new InputError(
      `${subject} has ${quoteInput(entry)}, but the owner is ${quoteInput(owner)}. A token covers one owner: set ${quoteInput(fields.owner.setting(parts[0]!))} or remove the entry (${fields.onePerOwner}).`
    )
  }
  return name
}
