/**
 * How an error message names where a value came from: the action's input, or the command line's
 * flag or environment variable. The library's parsers take one, so every front end gets the same
 * sentence with its own name in it, and the action's wording stays as it was.
 */
export interface Field {
  kind: 'input' | 'flag' | 'variable' | 'setting'
  /** The sentence's subject: "Input 'owner'", "--owner", "GITHUB_APP_ID". */
  subject: string
  /** The name inside a sentence: "'owner'", "--owner". */
  name: string
  /** How to set it to a value, for advice: "owner: octo-org", "--owner octo-org". */
  setting: (value: string) => string
}

/** An input of the action (or a sub-action), as its messages have always named it. */
export function inputField(input: string): Field {
  return {
    kind: 'input',
    subject: `Input '${input}'`,
    name: `'${input}'`,
    setting: (value) => `${input}: ${value}`
  }
}

/** A command-line flag, or the environment variable that stood in for it. */
export function cliField(name: string): Field {
  const flag = name.startsWith('--')
  return {
    kind: flag ? 'flag' : 'variable',
    subject: name,
    name,
    setting: (value) => (flag ? `${name} ${value}` : `${name}=${value}`)
  }
}

/** A setting of a configuration file, by its path in the file: `policies[0].grant.owner`. */
export function settingField(path: string): Field {
  return { kind: 'setting', subject: path, name: path, setting: (value) => `${path}: ${value}` }
}

/** Two fields in advice: "the 'owner' and 'repositories' inputs", "--owner and --repositories". */
export function bothFields(a: Field, b: Field): string {
  // One input may stand for both ('owners' names the accounts, and each covers every repository).
  if (a.name === b.name) return a.kind === 'input' ? `the ${a.name} input` : a.name
  const both = `${a.name} and ${b.name}`
  return a.kind === 'input' && b.kind === 'input' ? `the ${both} inputs` : both
}

/**
 * How messages after the parsing (a lookup's 404, a refused mint) name the request's parts: the
 * front end that built the request says, the action's inputs when it does not.
 */
export interface RequestFields {
  owner: Field
  repositories: Field
  installationId: Field
  permissions: Field
  /** Where an enterprise slug came from, when a front end takes one. */
  enterprise?: Field
  /** The App's identifiers, as advice names them: "'app-id'/'client-id'". */
  app: string
}

export const ACTION_FIELDS: RequestFields = {
  owner: inputField('owner'),
  repositories: inputField('repositories'),
  installationId: inputField('installation-id'),
  permissions: inputField('permissions'),
  enterprise: inputField('enterprise'),
  app: "'app-id'/'client-id'"
}
