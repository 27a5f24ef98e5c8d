import { neutralize } from './neutralize.js'

/**
 * Shapes of secrets a user may paste into the wrong input: a PEM block; GitHub's token prefixes
 * (https://github.blog/changelog/2021-03-31-authentication-token-format-updates-are-generally-available);
 * a JWT, whose base64url JSON header starts with 'eyJ'; 40 hexadecimal characters (a client secret,
 * or a token of the old format).
 */
const SECRET_SHAPES = /-----BEGIN|PRIVATE KEY|gh[psoru]_|github_pat_|eyJ[\w-]{8}|[0-9a-fA-F]{40}/

/**
 * An input value as an error message quotes it: neutralized (one line, capped) between quotes or,
 * when it looks like a key or a token, not at all. Every InputError that quotes a value uses this,
 * so no message can print a secret that was pasted into the wrong input.
 */
export function quoteInput(value: string): string {
  if (SECRET_SHAPES.test(value)) return '(a value that looks like a key or token; not shown)'
  return `'${neutralize(value)}'`
}
