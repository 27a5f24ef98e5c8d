import type { Target } from '../../lib/requests.js'
import { inputField } from '../../lib/field.js'
import { parseTarget as parseTargetAs } from '../../lib/parse/parse-target.js'

const FIELDS = {
  owner: inputField('owner'),
  repositories: inputField('repositories'),
  onePerOwner: 'use one step per owner'
}

/** The 'owner' and 'repositories' inputs; see the library's parseTarget for the defaults. */
export function parseTarget(
  rawOwner: string,
  rawRepositories: string,
  currentRepository?: string
): Target {
  return parseTargetAs(rawOwner, rawRepositories, currentRepository, FIELDS)
}
