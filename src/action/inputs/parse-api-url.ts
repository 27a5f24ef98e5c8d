import { inputField } from '../../lib/field.js'
import {
  parseApiUrl as parseApiUrlAs,
  plainHttpWarning as plainHttpWarningAs
} from '../../lib/parse/parse-api-url.js'

const FIELD = inputField('github-api-url')

/** The 'github-api-url' input; see the library's parseApiUrl for what is refused and why. */
export const parseApiUrl = (raw: string): string => parseApiUrlAs(raw, FIELD)

/** The warning for 'github-api-url' over plain http:// to another machine, if any. */
export const plainHttpWarning = (apiUrl: string): string | undefined =>
  plainHttpWarningAs(apiUrl, FIELD)
